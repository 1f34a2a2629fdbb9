package ch.cern.alice.lakehouse.rehearsal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The static checks of a resolved compose configuration against our services' config files. Each returns the
 * problems found, one line each (empty = fine), so that a test can assert on a broken configuration as well.
 */
final class EnvironmentChecks {

    /**
     * Variables a container may get although no config file of the service mentions them, with the reason. Anything
     * else compose passes must be read by the service it is passed to.
     */
    static final Map<String, String> READ_OUTSIDE_SPRING = Map.of(
            "JAVA_TOOL_OPTIONS", "read by the JVM itself (heap sized from the container's memory limit)");

    private final ComposeConfig config;
    private final Map<String, ServiceContainer> containers = new LinkedHashMap<>();

    EnvironmentChecks(ComposeConfig config) throws IOException {
        this.config = config;
        for (String name : ComposeConfig.OUR_SERVICES) {
            containers.put(name, ServiceContainer.of(config, name));
        }
    }

    Map<String, ServiceContainer> containers() {
        return containers;
    }

    /** A variable compose (or the image) gives a service that the service never reads. */
    List<String> unreadVariables() {
        List<String> unread = new ArrayList<>();
        for (ServiceContainer c : containers.values()) {
            for (String variable : c.env().keySet()) {
                boolean usedByImage = c.ownCommands().matches("(?s).*\\$\\{?" + Pattern.quote(variable) + "\\b.*");
                if (!c.settings().reads(variable) && !READ_OUTSIDE_SPRING.containsKey(variable) && !usedByImage) {
                    unread.add(c.name() + ": " + variable + " (from " + origin(c, variable) + ")");
                }
            }
        }
        return unread;
    }

    /** A placeholder without default in a service's config files that its container does not set. */
    List<String> missingSettings() {
        List<String> missing = new ArrayList<>();
        for (ServiceContainer c : containers.values()) {
            for (String required : c.settings().requiredVariables()) {
                if (!c.env().containsKey(required)) {
                    missing.add(c.name() + ": ${" + required + "} has no default and compose does not set it");
                }
            }
        }
        return missing;
    }

    /** Binds all interfaces of its container, on the port that EXPOSE, ports and every caller use. */
    List<String> listeningProblems() {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceContainer c : containers.values()) {
            int port = c.port();
            ports.put(c.name(), port);
            String address = c.bindAddress();
            if (!Set.of("0.0.0.0", "::", "[::]").contains(address)) {
                problems.add(c.name() + " binds " + address + " in its container: no other container can reach it");
            }
            if (!c.image().expose().isEmpty() && !c.image().expose().contains(port)) {
                problems.add(c.name() + " listens on " + port + " but its image EXPOSEs " + c.image().expose());
            }
            if (!c.compose().containerPorts().isEmpty() && !c.compose().containerPorts().contains(port)) {
                problems.add(c.name() + " listens on " + port + " but compose maps " + c.compose().containerPorts());
            }
        }
        Pattern reference = Pattern.compile("(?<=^|//|@|=|,|;|\\s)(" + String.join("|", ports.keySet()) + "):(\\d+)");
        for (ComposeConfig.ComposeService s : config.services().values()) {
            List<String> texts = new ArrayList<>(s.environment().values());
            texts.addAll(s.command());
            texts.addAll(s.healthcheck());
            for (String text : texts) {
                Matcher m = reference.matcher(text);
                while (m.find()) {
                    if (ports.get(m.group(1)) != Integer.parseInt(m.group(2))) {
                        problems.add(s.name() + " calls " + m.group() + " but " + m.group(1) + " listens on "
                                + ports.get(m.group(1)));
                    }
                }
            }
        }
        return problems;
    }

    /** depends_on: service_healthy needs a health check, and it must probe the service's own port. */
    List<String> healthcheckProblems() {
        List<String> problems = new ArrayList<>();
        for (ServiceContainer c : containers.values()) {
            List<String> hc = c.healthcheck();
            if (hc.isEmpty()) {
                problems.add(c.name() + " has no health check: depends_on service_healthy never holds");
                continue;
            }
            String command = ImageFile.substitute(String.join(" ", hc.subList(1, hc.size())), c.env());
            if (!command.matches("(?s).*(127\\.0\\.0\\.1|localhost):" + c.port() + "\\b.*")) {
                problems.add(c.name() + "'s health check '" + command + "' does not call its port " + c.port());
            }
        }
        return problems;
    }

    private String origin(ServiceContainer c, String variable) {
        return c.compose().environment().containsKey(variable) ? "docker-compose.yml"
                : "ENV of " + config.repo().relativize(c.image().dockerfile());
    }
}

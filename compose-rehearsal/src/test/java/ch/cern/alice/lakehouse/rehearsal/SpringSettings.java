package ch.cern.alice.lakehouse.rehearsal;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which environment variables a Spring Boot module reads, from its own config files (every {@code *.yml},
 * {@code *.yaml} and {@code application*.properties} in src/main/resources):
 * {@code ${VAR}} / {@code ${VAR:default}} placeholders, the environment form of each property key they set (Spring's
 * relaxed binding: {@code SERVER_ADDRESS} overrides {@code server.address}), and {@code System.getenv("VAR")} in
 * the module's main code and in the project modules every service has on its class path (common, service-support),
 * where {@code ${VAR:default}} placeholders in code count too (service-support's security defaults).
 */
final class SpringSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(:?)");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    private static final List<String> SHARED_MODULES = List.of("common", "service-support");

    private final String module;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Set<String> placeholders = new TreeSet<>();
    private final Set<String> requiredPlaceholders = new TreeSet<>();
    private final Set<String> getenv = new TreeSet<>();

    private SpringSettings(String module) {
        this.module = module;
    }

    static SpringSettings of(Path repoRoot, String module) throws IOException {
        SpringSettings s = new SpringSettings(module);
        Path resources = repoRoot.resolve(module).resolve("src/main/resources");
        try (Stream<Path> files = Files.list(resources)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                String text = Files.readString(f);
                if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                    for (Object doc : new Yaml(new LoaderOptions()).loadAll(text)) {
                        s.flatten("", doc);
                    }
                } else if (name.startsWith("application") && name.endsWith(".properties")) {
                    Properties p = new Properties();
                    p.load(new StringReader(text));
                    p.forEach((k, v) -> s.properties.put(String.valueOf(k), String.valueOf(v)));
                } else {
                    continue;
                }
                Matcher m = PLACEHOLDER.matcher(text);
                while (m.find()) {
                    if (ENV_NAME.matcher(m.group(1)).matches()) {
                        s.placeholders.add(m.group(1));
                        if (m.group(2).isEmpty()) {
                            s.requiredPlaceholders.add(m.group(1));
                        }
                    }
                }
            }
        }
        // the project libraries the module's pom names (on its class path)
        String pom = Files.readString(repoRoot.resolve(module).resolve("pom.xml"));
        List<String> shared = SHARED_MODULES.stream().filter(m -> pom.contains("<artifactId>" + m + "</artifactId>")).toList();
        for (String dir : Stream.concat(Stream.of(module), shared.stream()).toList()) {
            Path java = repoRoot.resolve(dir).resolve("src/main/java");
            if (!Files.isDirectory(java)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(java)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String code = Files.readString(f);
                    Matcher m = GETENV.matcher(code);
                    while (m.find()) {
                        s.getenv.add(m.group(1));
                    }
                    if (SHARED_MODULES.contains(dir)) {
                        // defaults a shared module gives every service, e.g. service-support's
                        // "${LAKEHOUSE_TRUSTED_PROXIES:...}" (SecurityDefaultsEnvironmentPostProcessor)
                        Matcher ph = PLACEHOLDER.matcher(code);
                        while (ph.find()) {
                            if (ENV_NAME.matcher(ph.group(1)).matches()) {
                                s.placeholders.add(ph.group(1));
                            }
                        }
                    }
                }
            }
        }
        if (s.properties.isEmpty()) {
            throw new IllegalStateException("no Spring config file in " + resources);
        }
        return s;
    }

    private void flatten(String prefix, Object node) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i));
            }
        } else if (!prefix.isEmpty()) {
            properties.put(prefix, node == null ? "" : String.valueOf(node));
        }
    }

    String module() {
        return module;
    }

    /** Placeholders without a default: the service cannot start (or runs misconfigured) unless they are set. */
    Set<String> requiredVariables() {
        return requiredPlaceholders;
    }

    /** True when {@code variable} is a placeholder, a property key's environment form, or read with getenv. */
    boolean reads(String variable) {
        return placeholders.contains(variable) || getenv.contains(variable)
                || properties.keySet().stream().anyMatch(k -> envForms(k).contains(variable));
    }

    /**
     * The value a property takes with the given environment: an environment variable named like the key wins over
     * the config file (Spring's precedence), else the file's value with its placeholders resolved.
     */
    String resolve(String property, Map<String, String> env) {
        for (String form : envForms(property)) {
            if (env.containsKey(form)) {
                return env.get(form);
            }
        }
        String raw = properties.get(property);
        return raw == null ? null : resolvePlaceholders(raw, env);
    }

    /** Canonical ({@code SERVER_ADDRESS}, dashes dropped) and legacy (dashes as underscores) environment forms. */
    static Set<String> envForms(String key) {
        String base = key.replace("[", ".").replace("]", "").replace('.', '_');
        return new java.util.LinkedHashSet<>(List.of(base.replace("-", "").toUpperCase(Locale.ROOT),
                base.replace('-', '_').toUpperCase(Locale.ROOT)));
    }

    /** {@code ${A:${B:x}}}-style resolution against the environment (unknown names without default stay as-is). */
    static String resolvePlaceholders(String value, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start);
            int depth = 0;
            int end = start;
            for (int j = start; j < value.length(); j++) {
                if (value.startsWith("${", j)) {
                    depth++;
                    j++;
                } else if (value.charAt(j) == '}' && --depth == 0) {
                    end = j;
                    break;
                }
            }
            String inner = value.substring(start + 2, end);
            int colon = inner.indexOf(':');
            String name = colon < 0 ? inner : inner.substring(0, colon);
            if (env.containsKey(name)) {
                out.append(env.get(name));
            } else if (colon >= 0) {
                out.append(resolvePlaceholders(inner.substring(colon + 1), env));
            } else {
                out.append("${").append(inner).append('}');
            }
            i = end + 1;
        }
        return out.toString();
    }
}

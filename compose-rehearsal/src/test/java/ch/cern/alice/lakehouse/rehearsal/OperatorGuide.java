package ch.cern.alice.lakehouse.rehearsal;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator guide's commands run against the rehearsal (issue #17). A fenced block the rehearsal runs is marked by
 * the line before its fence: {@code <!-- rehearsal: <id> -->}. It runs as one bash script ({@code set -euo pipefail})
 * on this host as the operator would type it on the Docker host, with two mappings:
 * <ul>
 *   <li>{@code docker compose exec [-T] <service> <command...>}: a {@code docker} on PATH that runs the command here
 *       with that container's environment ({@link RehearsalStack#execEnvironment}); any other docker command fails
 *       the block (exit 97), so a marked block holds only what the rehearsal can really run;</li>
 *   <li>published ports ({@code 127.0.0.1:<published>}, {@code localhost:<published>} of compose's {@code ports})
 *       lead to the loopback port of the service behind them.</li>
 * </ul>
 * Variables the guide asks the operator to set (e.g. {@code ADMIN_PASSWORD}) are given by the test.
 */
final class OperatorGuide {

    static final Pattern MARKER = Pattern.compile("^<!-- rehearsal: ([\\w-]+)\\b.*-->\\s*$");

    private static final String DOCKER_SHIM = """
            #!/bin/bash
            # docker as the compose rehearsal maps it: only 'docker compose exec [-T] <service> <command...>'
            if [ "$1" != compose ] || [ "$2" != exec ]; then
              echo "rehearsal: 'docker $*' is not rehearsed (only docker compose exec)" >&2
              exit 97
            fi
            shift 2
            while [ "${1#-}" != "$1" ]; do
              case "$1" in
                -T|-i|--interactive|--no-TTY) shift ;;
                *) echo "rehearsal: option $1 of docker compose exec is not rehearsed" >&2; exit 97 ;;
              esac
            done
            env_file="$REHEARSAL_SHIM_DIR/$1.env"
            if [ ! -f "$env_file" ]; then
              echo "rehearsal: no service $1 to exec in" >&2
              exit 98
            fi
            shift
            exec env -i /bin/bash -c 'set -a; . "$0"; set +a; exec "$@"' "$env_file" "$@"
            """;

    private OperatorGuide() {
    }

    /** The marked blocks of a Markdown file by id, in order. */
    static Map<String, String> markedBlocks(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        Map<String, String> blocks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
                throw new AssertionError(markdown + ":" + (i + 1) + ": marker " + m.group(1) + " not followed by a fence");
            }
            StringBuilder block = new StringBuilder();
            int j = i + 2;
            for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                block.append(lines.get(j)).append('\n');
            }
            if (blocks.put(m.group(1), block.toString()) != null) {
                throw new AssertionError(markdown + ": two blocks marked " + m.group(1));
            }
            i = j;
        }
        return blocks;
    }

    /** host published port -> (service, container port), from the resolved compose file. */
    @SuppressWarnings("unchecked")
    static Map<Integer, Map.Entry<String, Integer>> publishedPorts(Path resolvedCompose) throws IOException {
        Map<String, Object> root = new Yaml().load(Files.readString(resolvedCompose));
        Map<Integer, Map.Entry<String, Integer>> out = new LinkedHashMap<>();
        ((Map<String, Object>) root.get("services")).forEach((name, svc) -> {
            if (((Map<String, Object>) svc).get("ports") instanceof List<?> ports) {
                for (Object p : ports) {
                    if (p instanceof Map<?, ?> m && m.get("published") != null) {
                        out.put(Integer.parseInt(String.valueOf(m.get("published"))),
                                Map.entry(name, Integer.parseInt(String.valueOf(m.get("target")))));
                    } else if (!(p instanceof Map<?, ?>)) {
                        String[] parts = String.valueOf(p).replaceAll("/\\w+$", "").split(":");
                        if (parts.length >= 2) {
                            out.put(Integer.parseInt(parts[parts.length - 2]),
                                    Map.entry(name, Integer.parseInt(parts[parts.length - 1])));
                        }
                    }
                }
            }
        });
        return out;
    }

    /**
     * Runs one block in {@code workDir} (created); its docker shim and the containers' environments live in
     * {@code workDir/.shim}.
     */
    static RehearsalStack.HealthResult run(String block, RehearsalStack stack, Path resolvedCompose, Path workDir,
                                           Map<String, String> operatorVariables, Duration timeout) throws IOException {
        Path shim = Files.createDirectories(workDir.resolve(".shim"));
        Path docker = shim.resolve("docker");
        Files.writeString(docker, DOCKER_SHIM);
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
        List<String> services = new ArrayList<>(ComposeConfig.OUR_SERVICES);
        services.add("postgres");
        for (String service : services) {
            StringBuilder env = new StringBuilder();
            stack.execEnvironment(service).forEach((k, v) -> env.append(k).append('=').append(shellQuote(v)).append('\n'));
            Path file = shim.resolve(service + ".env");
            Files.writeString(file, env);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        String script = block;
        for (Map.Entry<Integer, Map.Entry<String, Integer>> p : publishedPorts(resolvedCompose).entrySet()) {
            int loopbackPort = stack.loopback().port(p.getValue().getKey(), p.getValue().getValue());
            script = script.replaceAll("(127\\.0\\.0\\.1|localhost):" + p.getKey() + "(?!\\d)",
                    Loopback.HOST + ":" + loopbackPort);
        }
        Map<String, String> env = new LinkedHashMap<>(operatorVariables);
        env.put("PATH", shim + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", workDir.toString());
        env.put("REHEARSAL_SHIM_DIR", shim.toString());
        Path file = workDir.resolve("block.sh");
        Files.writeString(file, "set -euo pipefail\ncd " + shellQuote(workDir.toString()) + "\n" + script);
        return RehearsalStack.run(List.of("/bin/bash", "-x", file.toString()), env, timeout);
    }

    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

package ch.cern.alice.lakehouse.rehearsal;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * docker-compose.yml as an operator's {@code cp .env.example .env && docker compose up} would see it: the output of
 * {@code docker-compose --env-file .env.example -f docker-compose.yml config} (every {@code ${VAR}} resolved),
 * parsed into its services. docker-compose runs with an empty environment: variables of the developer's shell
 * would otherwise win over .env.example.
 */
final class ComposeConfig {

    /** The services built from this repository's Spring Boot modules (compose service name = Maven module). */
    static final List<String> OUR_SERVICES = List.of("collector-service", "ingest-service", "versioning-service",
            "query-gateway", "etl-service", "web-ui");

    private final Path repoRoot;
    private final String resolvedYaml;
    private final Map<String, ComposeService> services;

    private ComposeConfig(Path repoRoot, String resolvedYaml, Map<String, ComposeService> services) {
        this.repoRoot = repoRoot;
        this.resolvedYaml = resolvedYaml;
        this.services = services;
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("rehearsal.repo-root", "..")).toAbsolutePath().normalize();
    }

    static boolean dockerComposeInstalled() {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker-compose")));
    }

    /**
     * The .env file to rehearse: .env.example, or the file named by {@code -Drehearsal.env-file} (an operator's own
     * .env, before a real deployment).
     */
    static Path envFile(Path repoRoot) {
        String file = System.getProperty("rehearsal.env-file", "");
        return file.isBlank() || file.startsWith("${") ? repoRoot.resolve(".env.example") : Path.of(file).toAbsolutePath();
    }

    /** Runs {@code docker-compose config} in the repository root with {@link #envFile} as the .env file. */
    static ComposeConfig resolve(Path repoRoot, Path outDir) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        Path out = outDir.resolve("compose-config.yml");
        Path err = outDir.resolve("compose-config.err");
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "--env-file", envFile(repoRoot).toString(),
                "-f", repoRoot.resolve("docker-compose.yml").toString(), "config")
                .directory(repoRoot.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", outDir.toString());
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("docker-compose config did not finish within 2 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("docker-compose config failed (" + p.exitValue() + "): "
                    + Files.readString(err) + Files.readString(out));
        }
        return parse(repoRoot, Files.readString(out, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static ComposeConfig parse(Path repoRoot, String resolvedYaml) {
        Map<String, Object> root = new Yaml(new LoaderOptions()).load(resolvedYaml);
        // `config` writes a literal $ as $$ (its output is a compose file again); a container sees one $
        Map<String, Object> services = (Map<String, Object>) unescapeDollars(root.get("services"));
        Map<String, ComposeService> parsed = new LinkedHashMap<>();
        services.forEach((name, body) -> parsed.put(name, ComposeService.of(name, (Map<String, Object>) body)));
        return new ComposeConfig(repoRoot, resolvedYaml, parsed);
    }

    private static Object unescapeDollars(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, unescapeDollars(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(ComposeConfig::unescapeDollars).toList();
        }
        return node instanceof String str ? str.replace("$$", "$") : node;
    }

    /** A copy with the resolved YAML changed, e.g. to show that a check catches a broken configuration. */
    @SuppressWarnings("unchecked")
    ComposeConfig with(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> root = new Yaml(new LoaderOptions()).load(resolvedYaml);
        change.accept((Map<String, Object>) root.get("services"));
        return parse(repoRoot, new Yaml().dump(root));
    }

    Path repo() {
        return repoRoot;
    }

    Map<String, ComposeService> services() {
        return services;
    }

    ComposeService service(String name) {
        ComposeService s = services.get(name);
        if (s == null) {
            throw new AssertionError("docker-compose.yml has no service '" + name + "' (it has " + services.keySet() + ")");
        }
        return s;
    }

    /** The service whose build produces {@code image} (e.g. spark-worker runs the image spark-master builds). */
    ComposeService builderOf(ComposeService service) {
        if (service.build() != null) {
            return service;
        }
        return services.values().stream().filter(s -> s.build() != null && s.image() != null
                        && s.image().equals(service.image())).findFirst()
                .orElseThrow(() -> new AssertionError("no compose service builds the image " + service.image()
                        + " of " + service.name()));
    }

    /** The image's Dockerfile, with the compose build args, for a service built from this repository. */
    ImageFile imageOf(ComposeService service) throws IOException {
        ComposeService builder = builderOf(service);
        return ImageFile.parse(builder.build().dockerfile(), builder.build().context(), builder.build().args());
    }

    // ---- one service -------------------------------------------------------------------------------------------

    record Build(Path context, Path dockerfile, Map<String, String> args) {
    }

    /** A bind mount ({@code source} is a host path) or a named volume ({@code source} is its name). */
    record Volume(boolean bind, String source, String target) {
    }

    record ComposeService(String name, Map<String, String> environment, Build build, String image,
                          List<String> command, List<String> entrypoint, List<String> healthcheck,
                          List<Integer> containerPorts,
                          List<Volume> volumes, Long memLimitBytes, Set<String> dependsOn) {

        @SuppressWarnings("unchecked")
        static ComposeService of(String name, Map<String, Object> s) {
            Map<String, String> env = new LinkedHashMap<>();
            Object environment = s.get("environment");
            if (environment instanceof Map<?, ?> m) {
                m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            } else if (environment instanceof List<?> l) {
                for (Object entry : l) {
                    String e = String.valueOf(entry);
                    int eq = e.indexOf('=');
                    env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
                }
            }
            Build build = null;
            if (s.get("build") instanceof Map<?, ?> b) {
                Path context = Path.of(String.valueOf(b.get("context")));
                Object dockerfile = b.get("dockerfile");
                Map<String, String> args = new LinkedHashMap<>();
                if (b.get("args") instanceof Map<?, ?> a) {
                    a.forEach((k, v) -> args.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
                }
                build = new Build(context, context.resolve(dockerfile == null ? "Dockerfile" : String.valueOf(dockerfile)),
                        args);
            }
            List<Integer> ports = new ArrayList<>();
            if (s.get("ports") instanceof List<?> l) {
                for (Object p : l) {
                    if (p instanceof Map<?, ?> m) {
                        ports.add(Integer.parseInt(String.valueOf(m.get("target"))));
                    } else {
                        String spec = String.valueOf(p).replaceAll("/\\w+$", "");
                        ports.add(Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1)));
                    }
                }
            }
            if (s.get("expose") instanceof List<?> l) {
                l.forEach(p -> ports.add(Integer.parseInt(String.valueOf(p).replaceAll("/\\w+$", ""))));
            }
            List<Volume> volumes = new ArrayList<>();
            if (s.get("volumes") instanceof List<?> l) {
                for (Object v : l) {
                    if (v instanceof Map<?, ?> m) {
                        volumes.add(new Volume("bind".equals(m.get("type")), String.valueOf(m.get("source")),
                                String.valueOf(m.get("target"))));
                    } else {
                        String[] parts = String.valueOf(v).split(":");
                        boolean bind = parts[0].startsWith("/") || parts[0].startsWith(".");
                        volumes.add(new Volume(bind, parts[0], parts.length > 1 ? parts[1] : parts[0]));
                    }
                }
            }
            Long mem = null;
            if (s.get("mem_limit") != null) {
                mem = bytes(String.valueOf(s.get("mem_limit")));
            } else if (s.get("deploy") instanceof Map<?, ?> d && d.get("resources") instanceof Map<?, ?> r
                    && r.get("limits") instanceof Map<?, ?> lim && lim.get("memory") != null) {
                mem = bytes(String.valueOf(lim.get("memory")));
            }
            Set<String> deps = new LinkedHashSet<>();
            if (s.get("depends_on") instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> deps.add(String.valueOf(k)));
            } else if (s.get("depends_on") instanceof List<?> l) {
                l.forEach(k -> deps.add(String.valueOf(k)));
            }
            return new ComposeService(name, env, build, (String) s.get("image"), stringList(s.get("command")),
                    stringList(s.get("entrypoint")), healthcheck(s.get("healthcheck")), ports, volumes, mem, deps);
        }

        /** ["CMD-SHELL", cmd] or ["CMD", args...]; empty when none or disabled. */
        @SuppressWarnings("unchecked")
        private static List<String> healthcheck(Object hc) {
            if (!(hc instanceof Map<?, ?> m) || Boolean.TRUE.equals(m.get("disable"))) {
                return List.of();
            }
            Object test = m.get("test");
            if (test instanceof String t) {
                return List.of("CMD-SHELL", t);
            }
            List<String> list = stringList(test);
            return list.isEmpty() || list.get(0).equals("NONE") ? List.of() : list;
        }

        private static List<String> stringList(Object o) {
            if (o == null) {
                return List.of();
            }
            if (o instanceof List<?> l) {
                return l.stream().map(String::valueOf).toList();
            }
            return List.of(String.valueOf(o).trim().split("\\s+"));
        }

        static long bytes(String size) {
            String s = size.trim().toLowerCase(Locale.ROOT).replaceAll("b$", "");
            long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1L;
            };
            String digits = unit == 1L ? s : s.substring(0, s.length() - 1);
            return (long) (Double.parseDouble(digits) * unit);
        }
    }
}

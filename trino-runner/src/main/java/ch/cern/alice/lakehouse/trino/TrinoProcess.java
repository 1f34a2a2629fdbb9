package ch.cern.alice.lakehouse.trino;

import ch.cern.alice.lakehouse.process.ChildProcesses;
import ch.cern.alice.lakehouse.process.FileTrees;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trino 476 in its own JVM (JDK 24+ from {@code TRINO_JAVA_HOME}, default Temurin 25), configured from the
 * deploy/trino/etc templates, the same files deploy/trino/trino-server.sh uses for the local stack. The caller
 * passes the values of the templates' {@code ${LAKEHOUSE_S3_*}} placeholders; port, directories and memory are
 * filled in here, and so are the file system cache's directory (under {@code dir}) and size unless given.
 */
public final class TrinoProcess implements AutoCloseable {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");
    private static final List<String> KEPT_PLUGINS = List.of("delta-lake", "tpch");
    private static final List<String> TEMPLATES =
            List.of("config.properties", "jvm.config", "log.properties", "catalog/delta.properties");
    /** Seconds to wait for the server; starts take 20-40 s on an idle 2-core machine, minutes on a busy one. */
    private static final Duration STARTUP_TIMEOUT =
            Duration.ofSeconds(Long.getLong("trino.startup.timeout.seconds", 420));

    private final Process process;
    private final int port;

    private TrinoProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Unpacks the server tarball once (it hard-links jars across plugins, so unpack all, then prune). */
    public static Path installed(Path serverDir, Path tarball) throws IOException {
        if (Files.isDirectory(serverDir.resolve("lib"))) {
            return serverDir;
        }
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("Trino tarball missing at " + tarball);
        }
        Path tmp = serverDir.resolveSibling(serverDir.getFileName() + ".tmp");
        FileTrees.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        run(List.of("tar", "xzf", tarball.toString(), "-C", tmp.toString(), "--strip-components=1"));
        try (var plugins = Files.list(tmp.resolve("plugin"))) {
            for (Path plugin : plugins.toList()) {
                if (!KEPT_PLUGINS.contains(plugin.getFileName().toString())) {
                    FileTrees.deleteRecursively(plugin);
                }
            }
        }
        Files.move(tmp, serverDir);
        return serverDir;
    }

    /**
     * Starts the server and returns once it answers {@code /v1/info} with {@code starting:false}.
     *
     * @param dir emptied, then holds the filled-in etc/, the server's data and {@code server.log}
     */
    public static TrinoProcess start(Path serverDir, Path templates, Path dir, int port, Map<String, String> env)
            throws IOException {
        FileTrees.deleteRecursively(dir);
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc.resolve("catalog"));
        Map<String, String> vars = new HashMap<>(env);
        vars.put("TRINO_PORT", Integer.toString(port));
        vars.put("TRINO_SERVER_DIR", serverDir.toAbsolutePath().toString());
        vars.put("TRINO_ETC_DIR", etc.toString());
        vars.putIfAbsent("TRINO_XMX", "2G");
        vars.putIfAbsent("TRINO_QUERY_MAX_MEMORY", "1GB");
        vars.putIfAbsent("TRINO_CACHE_DIR", dir.resolve("cache").toString());
        Files.createDirectories(Path.of(vars.get("TRINO_CACHE_DIR"))); // Trino refuses to start without it
        vars.putIfAbsent("TRINO_CACHE_SIZE", "1GB");
        for (String file : TEMPLATES) {
            Files.writeString(etc.resolve(file), fill(Files.readString(templates.resolve(file)), vars));
        }
        List<String> command = new ArrayList<>();
        String javaHome = System.getenv().getOrDefault("TRINO_JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");
        command.add(Path.of(javaHome, "bin", "java").toString());
        for (String line : Files.readAllLines(etc.resolve("jvm.config"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                command.add(line.strip());
            }
        }
        command.addAll(List.of("-Dconfig=" + etc.resolve("config.properties"),
                "-Dlog.levels-file=" + etc.resolve("log.properties"),
                "-cp", serverDir.toAbsolutePath().resolve("lib") + "/*", "io.trino.server.TrinoServer"));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        TrinoProcess trino = new TrinoProcess(p, port);
        trino.awaitReady(dir.resolve("server.log"));
        return trino;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:trino://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }

    private void awaitReady(Path log) {
        try {
            ChildProcesses.awaitHttp(process, "Trino", URI.create("http://127.0.0.1:" + port + "/v1/info"),
                    info -> info.body().replace(" ", "").contains("\"starting\":false"), STARTUP_TIMEOUT,
                    Duration.ofMillis(500), log);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static String fill(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for ${" + m.group(1) + "} in Trino config templates");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

package ch.cern.alice.lakehouse.scenario.stack;

import ch.cern.alice.lakehouse.process.ChildProcesses;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One lakehouse service started from its runnable jar ({@code java -jar <module>-exec.jar}) in its own JVM,
 * configured only through environment variables, its output in {@code <logDir>/<name>.log}, stopped by its PID.
 */
final class ServiceProcess implements AutoCloseable {

    /** Variables of the developer's shell that would leak into a service's configuration. */
    private static final List<String> FOREIGN_PREFIXES =
            List.of("LAKEHOUSE_", "ETL_", "QUERY_", "VERSIONING_", "WEBUI_", "COLLECTOR_", "INGEST_", "SPRING_");

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String name, Path jar, int port, List<String> jvmOptions, Map<String, String> env,
                                Path logDir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " jar not found at " + jar + " (package the module first)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaOf(name));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(logDir.toFile()).redirectErrorStream(true);
        Path log = logDir.resolve(name + ".log");
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(key -> FOREIGN_PREFIXES.stream().anyMatch(key::startsWith));
        builder.environment().putAll(env);
        return new ServiceProcess(name, port, builder.start(), log);
    }

    /**
     * query-gateway runs on the JDK 24+ of {@code lakestack.gateway-java-home} (Maven's gateway.java.home:
     * TRINO_JAVA_HOME, else Temurin 25), as trino-parser 476 is Java 24 bytecode; the others on this JVM's java.
     */
    private static String javaOf(String name) {
        String home = System.getProperty("java.home");
        if (name.equals("query-gateway")) {
            home = System.getProperty("lakestack.gateway-java-home",
                    System.getenv().getOrDefault("TRINO_JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        }
        return Path.of(home, "bin", "java").toString();
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for {@code /actuator/health} to answer UP; fails early when the process dies. */
    void awaitHealthy(Duration timeout) {
        ChildProcesses.awaitHttp(process, name, URI.create(baseUrl() + "/actuator/health"),
                r -> r.statusCode() == 200 && r.body().contains("\"UP\""), timeout, Duration.ofMillis(300), log);
    }

    /** SIGKILL of the service alone, as a crash or the OOM killer would: what it started is not told. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /** SIGTERM (Spring shuts down gracefully), SIGKILL after a grace period; etl-service's Spark JVMs too. */
    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
}

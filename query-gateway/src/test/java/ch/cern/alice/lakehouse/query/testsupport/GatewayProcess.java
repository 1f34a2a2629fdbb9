package ch.cern.alice.lakehouse.query.testsupport;

import ch.cern.alice.lakehouse.process.ChildProcesses;

import ch.cern.alice.lakehouse.query.QueryGatewayApplication;

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
 * The gateway application in its own JVM (the JDK 24+ of {@code gateway.java.home}) on the test class path, so that
 * a test can kill it with SIGKILL the way a crash or an OOM kill would end it: nothing of the process runs after that.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final int port;

    private GatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the gateway with {@code properties} and returns once its health endpoint answers 200. */
    public static GatewayProcess start(Path dir, Map<String, String> properties) throws IOException {
        Files.createDirectories(dir);
        int port = TestLake.freePort();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("gateway.java.home", System.getProperty("java.home")), "bin", "java")
                        .toString(), "-Xmx384m",
                "-Djava.io.tmpdir=" + dir, "-cp", classPath, QueryGatewayApplication.class.getName(),
                "--server.port=" + port));
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        Path log = dir.resolve("gateway.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayProcess gateway = new GatewayProcess(p, port);
        gateway.awaitHealthy(log);
        return gateway;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no bean destruction, no last history update. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gateway process " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void awaitHealthy(Path log) {
        try {
            ChildProcesses.awaitHttp(process, "gateway", URI.create("http://127.0.0.1:" + port + "/actuator/health"),
                    r -> r.statusCode() == 200, STARTUP_TIMEOUT, Duration.ofMillis(250), log);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }
}

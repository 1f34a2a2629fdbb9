package ch.cern.alice.lakehouse.s3proxy;

import ch.cern.alice.lakehouse.process.ChildProcesses;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * S3Proxy running as {@code java -jar s3proxy.jar} in its own JVM (same java as the caller), stopped by its PID.
 * {@link #start} returns once the port accepts connections; bucket creation is left to the caller's S3 client.
 */
public final class S3ProxyProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final S3ProxyConfig config;

    private S3ProxyProcess(Process process, S3ProxyConfig config) {
        this.process = process;
        this.config = config;
    }

    /**
     * @param jar     the s3proxy jar-with-dependencies
     * @param workDir where the properties file and {@code s3proxy.log} go (not inside the base dir: every directory
     *                there is a bucket)
     */
    public static S3ProxyProcess start(Path jar, S3ProxyConfig config, Path workDir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar + " (the module's build copies it)");
        }
        Path properties = config.write(workDir.resolve("s3proxy-" + config.port() + ".properties"));
        Process process = new ProcessBuilder(List.of(javaBin(), "-Xmx256m", "-Djava.io.tmpdir=" + workDir,
                "-jar", jar.toString(), "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("s3proxy-" + config.port() + ".log").toFile())
                .start();
        S3ProxyProcess proxy = new S3ProxyProcess(process, config);
        proxy.awaitPort();
        return proxy;
    }

    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public S3ProxyConfig config() {
        return config;
    }

    public String endpoint() {
        return config.endpoint();
    }

    public long pid() {
        return process.pid();
    }

    private void awaitPort() throws IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue());
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), config.port())) {
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not open port " + config.port() + " within " + STARTUP_TIMEOUT);
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(10));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package ch.cern.alice.lakehouse.etl;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy (filesystem backend, SigV4, path style) as a separate JVM: its bundled Jetty and Jackson must stay off
 * the Boot test classpath. The jar is copied to target/s3proxy by the build.
 */
final class S3ProxyProcess implements AutoCloseable {

    static final String ACCESS_KEY = "etl-test-access";
    static final String SECRET_KEY = "etl-test-secret";

    private final Process process;
    private final int port;
    private final Path dataDir;

    private S3ProxyProcess(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    static S3ProxyProcess start(Path jar, Path workDir) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar missing: " + jar + " (copied at process-test-resources)");
        }
        int port = freePort();
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path props = workDir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data,
                ""));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + workDir, "-jar", jar.toString(),
                "--properties", props.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("s3proxy.log").toFile())
                .start();
        S3ProxyProcess proxy = new S3ProxyProcess(p, port, data);
        proxy.awaitPort(Duration.ofSeconds(60));
        return proxy;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Where an object key of a bucket lives on disk. */
    Path objectPath(String bucket, String key) {
        return dataDir.resolve(bucket).resolve(key);
    }

    private void awaitPort(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not open port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}

package ch.cern.alice.lakehouse.versioning.support;

import ch.cern.alice.lakehouse.versioning.infra.S3Configuration;
import ch.cern.alice.lakehouse.versioning.infra.S3Properties;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy (filesystem-nio2, SigV4, path-style) as a separate process: {@code java -jar s3proxy.jar}, on a random
 * free port of 127.0.0.1, data under target/. The jar is copied to target/s3proxy by the build.
 */
public final class S3ProxyProcess implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String BUCKET = "lakehouse";

    private final Process process;
    private final int port;

    private S3ProxyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static S3ProxyProcess start(Path workDir) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar + " (run the build: mvn test copies it)");
        }
        int port = freePort();
        Path baseDir = workDir.resolve("s3-" + port);
        Files.createDirectories(baseDir);
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", ACCESS_KEY);
        p.setProperty("s3proxy.credential", SECRET_KEY);
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        Path config = workDir.resolve("s3proxy-" + port + ".properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "versioning-service tests");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties",
                config.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("s3proxy-" + port + ".log").toFile())
                .start();
        S3ProxyProcess proxy = new S3ProxyProcess(process, port);
        proxy.awaitAndCreateBucket();
        return proxy;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public S3Properties properties() {
        return new S3Properties(endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET, "us-east-1");
    }

    public S3Client newClient() {
        return S3Configuration.newClient(properties());
    }

    private void awaitAndCreateBucket() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        RuntimeException last = null;
        try (S3Client s3 = newClient()) {
            while (System.currentTimeMillis() < deadline && process.isAlive()) {
                try {
                    s3.createBucket(b -> b.bucket(BUCKET));
                    return;
                } catch (RuntimeException e) {
                    last = e;
                    Thread.sleep(200);
                }
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not come up on port " + port, last);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

package ch.cern.alice.lakehouse.localstack.s3;

import ch.cern.alice.lakehouse.localstack.LauncherArgs;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyConfig;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs S3Proxy ({@code java -jar s3proxy.jar}, filesystem-nio2 provider, SigV4, path-style) as a child process,
 * creates the lakehouse bucket once it answers, prints {@code READY s3 ...}, and stops the child when it is
 * stopped itself. Objects live as plain files under the base directory, so they survive restarts.
 *
 * <p>Options: {@code --port} (9000), {@code --base-dir} (.data/s3), {@code --jar} (local-stack/target/stack/s3proxy.jar),
 * {@code --bucket} ($LAKEHOUSE_S3_BUCKET or lakehouse); credentials from $LAKEHOUSE_S3_ACCESS_KEY /
 * $LAKEHOUSE_S3_SECRET_KEY (demo defaults: lakehouse / lakehouse-secret).
 */
public final class S3ProxyLauncher {

    public static final String DEFAULT_ACCESS_KEY = "lakehouse";
    public static final String DEFAULT_SECRET_KEY = "lakehouse-secret";

    private S3ProxyLauncher() {
    }

    public static void main(String[] args) throws Exception {
        LauncherArgs options = new LauncherArgs(args);
        int port = options.getInt("port", null, 9000);
        Path baseDir = Path.of(options.get("base-dir", null, ".data/s3")).toAbsolutePath();
        Path jar = Path.of(options.get("jar", null, "local-stack/target/stack/s3proxy.jar")).toAbsolutePath();
        String bucket = options.get("bucket", "LAKEHOUSE_S3_BUCKET", "lakehouse");
        String accessKey = options.get("access-key", "LAKEHOUSE_S3_ACCESS_KEY", DEFAULT_ACCESS_KEY);
        String secretKey = options.get("secret-key", "LAKEHOUSE_S3_SECRET_KEY", DEFAULT_SECRET_KEY);
        String region = options.get("region", "LAKEHOUSE_S3_REGION", "us-east-1");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar + " (build local-stack first)");
        }

        Path config = writeProperties(baseDir, port, accessKey, secretKey);
        Process s3proxy = new ProcessBuilder(List.of(javaBin(), "-Xmx512m", "-jar", jar.toString(),
                "--properties", config.toString())).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(s3proxy), "s3proxy-stop"));

        MiniS3Client client = new MiniS3Client(URI.create("http://127.0.0.1:" + port), accessKey, secretKey, region);
        boolean created = createBucketWhenUp(client, bucket, s3proxy);
        System.out.println("READY s3 endpoint=http://127.0.0.1:" + port + " bucket=" + bucket
                + (created ? " (created)" : " (exists)") + " baseDir=" + baseDir + " childPid=" + s3proxy.pid());
        int rc = s3proxy.waitFor();
        System.out.println("s3proxy exited with " + rc);
    }

    static Path writeProperties(Path baseDir, int port, String accessKey, String secretKey) throws IOException {
        // next to the base dir, not in it: every directory in it is a bucket
        Path file = baseDir.resolveSibling(baseDir.getFileName() + "-s3proxy.properties");
        return new S3ProxyConfig(baseDir, port, accessKey, secretKey).write(file);
    }

    private static boolean createBucketWhenUp(MiniS3Client client, String bucket, Process s3proxy)
            throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        IOException last = null;
        while (System.currentTimeMillis() < deadline && s3proxy.isAlive()) {
            try {
                return client.createBucketIfMissing(bucket);
            } catch (IOException e) {
                last = e;
                Thread.sleep(300);
            }
        }
        throw new IOException("S3Proxy did not come up" + (s3proxy.isAlive() ? " within 90 s" : " (exited)"), last);
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

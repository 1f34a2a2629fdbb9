package ch.cern.alice.lakehouse.versioning.testsupport;

import ch.cern.alice.lakehouse.s3proxy.S3ProxyConfig;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyProcess;
import ch.cern.alice.lakehouse.versioning.config.S3Configuration;
import ch.cern.alice.lakehouse.support.s3.S3Properties;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tests' S3: S3Proxy from s3proxy-runner on a random free port of 127.0.0.1, data under target/, with the
 * lakehouse bucket created through the service's own S3 client. The jar is copied to target/s3proxy by the build.
 */
public final class TestS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String BUCKET = "lakehouse";

    private final S3ProxyProcess process;

    private TestS3(S3ProxyProcess process) {
        this.process = process;
    }

    public static TestS3 start(Path workDir) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar")).toAbsolutePath();
        int port = S3ProxyProcess.freeLoopbackPort();
        Path baseDir = Files.createDirectories(workDir.resolve("s3-" + port));
        TestS3 s3 = new TestS3(S3ProxyProcess.start(jar, new S3ProxyConfig(baseDir, port, ACCESS_KEY, SECRET_KEY),
                workDir));
        s3.createBucket();
        return s3;
    }

    public String endpoint() {
        return process.endpoint();
    }

    public S3Properties properties() {
        return new S3Properties(endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET, "us-east-1");
    }

    public S3Client newClient() {
        return S3Configuration.newClient(properties());
    }

    /** The port is open before S3Proxy serves requests: retry until the bucket is made. */
    private void createBucket() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        RuntimeException last = null;
        try (S3Client s3 = newClient()) {
            while (System.currentTimeMillis() < deadline) {
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
        throw new IllegalStateException("S3Proxy at " + endpoint() + " did not accept a bucket", last);
    }

    @Override
    public void close() {
        process.close();
    }
}

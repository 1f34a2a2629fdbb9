package ch.cern.alice.lakehouse.versioning.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded Postgres and one S3Proxy process for the whole test JVM: started on first use, stopped (by their own
 * handles) when the JVM's test run ends.
 */
public final class TestServers {

    private static TestServers instance;

    private final EmbeddedPostgres postgres;
    private final TestS3 s3;

    private TestServers(EmbeddedPostgres postgres, TestS3 s3) {
        this.postgres = postgres;
        this.s3 = s3;
    }

    public static synchronized TestServers get() {
        if (instance == null) {
            try {
                Path work = Path.of(System.getProperty("test.work.dir", "target/test-work")).toAbsolutePath();
                Files.createDirectories(work);
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                TestS3 s3;
                try {
                    s3 = TestS3.start(work);
                } catch (RuntimeException | IOException | InterruptedException e) {
                    postgres.close();
                    throw e;
                }
                instance = new TestServers(postgres, s3);
                Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-servers-stop"));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start test servers", e);
            }
        }
        return instance;
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public TestS3 s3() {
        return s3;
    }

    private void stop() {
        s3.close();
        try {
            postgres.close();
        } catch (IOException ignored) {
            // process already gone
        }
    }
}

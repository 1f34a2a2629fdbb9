package ch.cern.alice.lakehouse.versioning.testsupport;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port against real Postgres (zonky) and a real S3 (S3Proxy process). Every test
 * class shares one application context and so one database: classes use their own table and branch names.
 * Users: admin (admin), alice and bob (researchers), victor (viewer); password = name + "-pw".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class AbstractServiceTestBase {

    @LocalServerPort
    protected int port;

    protected Api api;
    protected DeltaTableWriter delta;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers servers = TestServers.get();
        registry.add("spring.datasource.url", servers::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
        registry.add("lakehouse.s3.endpoint", () -> servers.s3().endpoint());
        registry.add("lakehouse.s3.access-key", () -> TestS3.ACCESS_KEY);
        registry.add("lakehouse.s3.secret-key", () -> TestS3.SECRET_KEY);
        registry.add("lakehouse.s3.bucket", () -> TestS3.BUCKET);
        registry.add("lakehouse.security.users", () -> "admin:{noop}admin-pw:admin;alice:{noop}alice-pw:researcher;"
                + "bob:{noop}bob-pw:researcher;victor:{noop}victor-pw:viewer");
    }

    private static DeltaTableWriter sharedWriter;

    @BeforeEach
    protected void connect() {
        api = new Api(port);
        synchronized (AbstractServiceTestBase.class) {
            if (sharedWriter == null) {
                sharedWriter = new DeltaTableWriter(TestServers.get().s3().newClient(), TestS3.BUCKET);
            }
        }
        delta = sharedWriter;
    }
}

package ch.cern.alice.lakehouse.query.testsupport;

import ch.cern.alice.lakehouse.process.FileTrees;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyConfig;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyProcess;
import ch.cern.alice.lakehouse.trino.TrinoProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The real parts every test of this module shares, started once per test JVM and stopped by PID at its exit:
 * S3Proxy (own process), Trino 476 (own process on Temurin 25, Delta catalog on the S3Proxy bucket; secured as
 * everywhere: HTTPS, password logins, access rules knowing the users of {@link GatewayTestProperties#USERS}) and an
 * embedded Postgres.
 */
public final class TestLake {

    public static final String BUCKET = "lakehouse";
    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret";
    /** The lake schemas of the tests (PinnedReadsDifferentialTest, QueryExportTest and TrinoProtocolTest have their
     * own), as Trino's access rules read them. */
    public static final String LAKE_SCHEMAS = "lakehouse|pinned_diff|export_test|protocol_test";

    private static TestLake instance;

    private final Path workDir;
    private final S3ProxyProcess s3;
    private final Path bucketDir;
    private final TrinoProcess trino;
    private final EmbeddedPostgres postgres;

    private TestLake() throws IOException {
        workDir = Path.of(System.getProperty("test.work.dir", "target/test-work")).toAbsolutePath();
        Files.createDirectories(workDir);
        Path s3Work = workDir.resolve("s3");
        Path s3Data = s3Work.resolve("data");
        FileTrees.deleteRecursively(s3Data);
        bucketDir = Files.createDirectories(s3Data.resolve(BUCKET)); // a directory is a bucket for S3Proxy
        s3 = S3ProxyProcess.start(Path.of(System.getProperty("s3proxy.jar", "target/test-servers/s3proxy.jar")),
                new S3ProxyConfig(s3Data, freePort(), ACCESS_KEY, SECRET_KEY), s3Work);
        try {
            trino = TrinoProcess.start(TrinoProcess.installed(
                            Path.of(System.getProperty("trino.server.dir", "target/trino-server")),
                            Path.of(System.getProperty("trino.server.tarball"))),
                    Path.of(System.getProperty("trino.etc.templates", "../deploy/trino/etc")),
                    workDir.resolve("trino"), freePort(), Map.of(
                            "LAKEHOUSE_S3_ENDPOINT", s3.endpoint(),
                            "LAKEHOUSE_S3_BUCKET", BUCKET,
                            "LAKEHOUSE_S3_REGION", "us-east-1",
                            "LAKEHOUSE_S3_ACCESS_KEY", ACCESS_KEY,
                            "LAKEHOUSE_S3_SECRET_KEY", SECRET_KEY,
                            "LAKEHOUSE_USERS", GatewayTestProperties.USERS,
                            "TRINO_LAKE_SCHEMA", LAKE_SCHEMAS));
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            s3.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "test-lake-stop"));
    }

    public static synchronized TestLake get() {
        if (instance == null) {
            try {
                instance = new TestLake();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    public String trinoJdbcUrl() {
        return trino.jdbcUrl();
    }

    /** The running Trino: its principals' logins, certificate and JDBC properties. */
    public TrinoProcess trino() {
        return trino;
    }

    public String postgresJdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public Path s3Data() {
        return bucketDir;
    }

    /** Trino as its admin principal (test set-up: seed tables, system.runtime checks). */
    public Connection trinoConnection() throws SQLException {
        return DriverManager.getConnection(trinoJdbcUrl(), trino.jdbcProperties(trino.admin()));
    }

    private void stop() {
        trino.close();
        s3.close();
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the JVM is exiting
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}

package ch.cern.alice.lakehouse.ingest.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.io.IOException;

/**
 * A real PostgreSQL server (zonky embedded binaries) on a random port with a database {@code lakehouse} for the
 * service. Outages are simulated by refusing connections to that database and killing its sessions, while the
 * test keeps administering through the {@code postgres} database.
 */
public final class TestPostgres implements AutoCloseable {

    public static final String DATABASE = "lakehouse";

    private final EmbeddedPostgres server;
    private final JdbcTemplate admin;
    private final DataSource lakehouse;

    private TestPostgres(EmbeddedPostgres server) {
        this.server = server;
        this.admin = new JdbcTemplate(server.getPostgresDatabase());
        admin.execute("CREATE DATABASE " + DATABASE);
        this.lakehouse = new DriverManagerDataSource(jdbcUrl(), user(), "");
    }

    public static TestPostgres start() throws IOException {
        return new TestPostgres(EmbeddedPostgres.builder().start());
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + DATABASE;
    }

    public String user() {
        return "postgres";
    }

    /** Connections to the lakehouse database (a new one per use). */
    public DataSource lakehouse() {
        return lakehouse;
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(lakehouse);
    }

    /** The database goes away for its clients: new connections are refused, open sessions are terminated. */
    public void refuseConnections() {
        admin.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS false");
        admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?",
                DATABASE);
    }

    public void allowConnections() {
        admin.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS true");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

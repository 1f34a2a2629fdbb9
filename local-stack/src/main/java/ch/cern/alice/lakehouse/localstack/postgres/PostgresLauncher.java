package ch.cern.alice.lakehouse.localstack.postgres;

import ch.cern.alice.lakehouse.localstack.LauncherArgs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded PostgreSQL 17 (zonky binaries) on 127.0.0.1 with a persistent data directory, makes sure the
 * application database exists and applies the services' roles (deploy/postgres/roles.sql, {@link DatabaseRoles}):
 * one login role per service owning its schema, the same as docker compose's postgres-init. Runs until the JVM gets
 * SIGTERM; the shutdown hook stops the server cleanly (pg_ctl stop), so data survives. Prints
 * {@code READY postgres ...} once usable.
 *
 * <p>Options: {@code --port} (5432), {@code --data-dir} (.data/postgres), {@code --database} (lakehouse). The roles'
 * passwords come from $LAKEHOUSE_DB_STAGING_PASSWORD, $LAKEHOUSE_DB_INGEST_PASSWORD, ... (./lakehouse sets them);
 * an unset one keeps the role's password. The database belongs to the cluster's superuser {@code postgres}, which
 * no service uses; a database of an older local stack (owned by the login role every service shared) is handed
 * over to it, and its schemas to the services' roles. The cluster itself trusts local connections (zonky's
 * initdb), which is acceptable only because it listens on 127.0.0.1 alone: the roles keep the services apart, not
 * other users of this machine out.
 */
public final class PostgresLauncher {

    private PostgresLauncher() {
    }

    public static void main(String[] args) throws Exception {
        LauncherArgs options = new LauncherArgs(args);
        int port = options.getInt("port", null, 5432);
        Path dataDir = Path.of(options.get("data-dir", null, ".data/postgres")).toAbsolutePath();
        String database = options.get("database", null, "lakehouse");
        Files.createDirectories(dataDir.getParent());

        // initdb runs only when the directory holds no cluster yet: data survives restarts
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                // zonky turns fsync off for throw-away test databases; this one keeps data across restarts
                .setServerConfig("fsync", "on")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping postgres on port " + port);
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("postgres did not stop cleanly: " + e);
            }
            stopped.countDown();
        }, "postgres-stop"));

        createDatabaseIfMissing(postgres, database);
        try (Connection c = postgres.getDatabase("postgres", database).getConnection()) {
            DatabaseRoles.apply(c, DatabaseRoles.script(), DatabaseRoles.passwordsFrom(System.getenv()));
        }
        System.out.println("READY postgres port=" + port + " database=" + database + " roles="
                + DatabaseRoles.NAMES.stream().map(DatabaseRoles::role).toList() + " url="
                + "jdbc:postgresql://127.0.0.1:" + port + "/" + database + " dataDir=" + dataDir);
        stopped.await();
    }

    /** Creates the database owned by the superuser; takes over one an older local stack gave a login role. */
    static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) throws SQLException {
        requireIdentifier("database name", database);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                st.execute("CREATE DATABASE " + database + " OWNER postgres");
            } else if (!exists(c, "SELECT 1 FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
                    + "WHERE d.datname = ? AND r.rolsuper", database)) {
                st.execute("ALTER DATABASE " + database + " OWNER TO postgres");
                System.out.println("database " + database + " now belongs to postgres; its schemas go to the "
                        + "services' own roles (the login role the services shared before is no longer used)");
            }
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireIdentifier(String what, String value) {
        if (!value.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(what + " must be a lower-case identifier, got '" + value + "'");
        }
    }
}

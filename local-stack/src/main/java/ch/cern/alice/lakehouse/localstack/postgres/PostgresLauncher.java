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
 * Runs an embedded PostgreSQL 17 (zonky binaries) on 127.0.0.1 with a persistent data directory and makes sure the
 * application database exists. Runs until the JVM gets SIGTERM; the shutdown hook stops the server cleanly
 * (pg_ctl stop), so data survives. Prints {@code READY postgres ...} once usable.
 *
 * <p>Options: {@code --port} (5432), {@code --data-dir} (.data/postgres), {@code --database} (lakehouse),
 * {@code --user} / {@code --password} ($LAKEHOUSE_DB_USER / $LAKEHOUSE_DB_PASSWORD, lakehouse / lakehouse): the
 * login role the services use, created once as owner of the database. The cluster itself trusts local connections
 * (zonky's initdb), which is acceptable only because it listens on 127.0.0.1 alone.
 */
public final class PostgresLauncher {

    private PostgresLauncher() {
    }

    public static void main(String[] args) throws Exception {
        LauncherArgs options = new LauncherArgs(args);
        int port = options.getInt("port", null, 5432);
        Path dataDir = Path.of(options.get("data-dir", null, ".data/postgres")).toAbsolutePath();
        String database = options.get("database", null, "lakehouse");
        String user = options.get("user", "LAKEHOUSE_DB_USER", "lakehouse");
        String password = options.get("password", "LAKEHOUSE_DB_PASSWORD", "lakehouse");
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

        createDatabaseIfMissing(postgres, database, user, password);
        System.out.println("READY postgres port=" + port + " database=" + database + " user=" + user + " url="
                + "jdbc:postgresql://127.0.0.1:" + port + "/" + database + " dataDir=" + dataDir);
        stopped.await();
    }

    static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database, String user, String password)
            throws SQLException {
        requireIdentifier("database name", database);
        requireIdentifier("user name", user);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                st.execute("CREATE ROLE " + user + " LOGIN CREATEDB PASSWORD " + quoteLiteral(password));
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                st.execute("CREATE DATABASE " + database + " OWNER " + user);
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

    private static String quoteLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}

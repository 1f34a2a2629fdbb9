package ch.cern.alice.lakehouse.scenario.stack;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Embedded Postgres holding the database {@code lakehouse} as a deployment prepares it: the services' roles of
 * deploy/postgres/roles.sql (one per service, owning its schema; docs/security.md "Least privilege"), the staging
 * schema from common migrated by its owner {@code lakehouse_staging} (partitions per catalog dataset, as
 * ingest-service creates them) and rows staged the way ingest-service writes them, as {@code lakehouse_ingest}:
 * validated, normalized payloads, ON CONFLICT DO NOTHING on the dedup key. Each service logs in with its own role
 * ({@link #login(String)}) and creates its schema's tables with Flyway when it starts; the tests look at everything
 * as the superuser ({@link #connect()}).
 */
final class StagingDatabase implements AutoCloseable {

    static final String DATABASE = "lakehouse";
    /** The cluster's superuser (zonky trusts it on 127.0.0.1): the tests' view, never a service's. */
    static final String SUPERUSER = "postgres";
    private static final Map<String, String> ROLES = Map.of("ingest-service", "lakehouse_ingest",
            "etl-service", "lakehouse_etl", "query-gateway", "lakehouse_query",
            "versioning-service", "lakehouse_versioning");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INSERT = """
            INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload)
            VALUES (?, ?, ?, ?, ?::jsonb) ON CONFLICT (dataset, dedup_key) DO NOTHING""";

    private final EmbeddedPostgres postgres;
    private final DatasetCatalog catalog = DatasetCatalog.builtIn();

    StagingDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
        try {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
            try (Connection c = connect(); Statement st = c.createStatement()) {
                for (String role : List.of("staging", "ingest", "etl", "query", "versioning")) {
                    st.execute("SET lakehouse." + role + "_password = '" + password("lakehouse_" + role) + "'");
                }
                st.execute(Files.readString(rolesSql()));
            }
            Flyway.configure().dataSource(jdbcUrl(), "lakehouse_staging", password("lakehouse_staging"))
                    .locations("classpath:db/staging").schemas("staging").defaultSchema("staging")
                    .table("flyway_schema_history").load().migrate();
            try (Connection c = DriverManager.getConnection(jdbcUrl(), "lakehouse_staging",
                    password("lakehouse_staging")); Statement st = c.createStatement()) {
                for (String dataset : catalog.names()) {
                    st.execute("CREATE TABLE staging.records_" + dataset + " PARTITION OF staging.records"
                            + " FOR VALUES IN ('" + dataset + "')");
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            postgres.close();
            throw new IllegalStateException("could not prepare the staging database", e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    /** A superuser's connection: the tests see every schema. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), SUPERUSER, "");
    }

    /**
     * The database login a service gets: LAKEHOUSE_DB_USER/_PASSWORD of its own role (ingest-service also staging's
     * owner for its migration), nothing for a service without a database.
     */
    static Map<String, String> login(String service) {
        String role = ROLES.get(service);
        if (role == null) {
            return Map.of();
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of("LAKEHOUSE_DB_USER", role,
                "LAKEHOUSE_DB_PASSWORD", password(role)));
        if (service.equals("ingest-service")) {
            env.put("LAKEHOUSE_STAGING_DB_USER", "lakehouse_staging");
            env.put("LAKEHOUSE_STAGING_DB_PASSWORD", password("lakehouse_staging"));
        }
        return env;
    }

    private static String password(String role) {
        return role.replace('_', '-') + "-scenario";
    }

    private static Path rolesSql() {
        Path file = Path.of(System.getProperty("lakestack.roles-sql", "../deploy/postgres/roles.sql"));
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("the deployment's roles script " + file.toAbsolutePath() + " is missing");
        }
        return file;
    }

    /**
     * Validates each record against the dataset's descriptor (like the collector) and inserts the normalized
     * payloads in one transaction (like ingest-service). Each record is sent by the site its site field names (as
     * its own site's key would send it); records without one by {@code defaultSite}. Returns the number of rows
     * actually staged.
     */
    int stage(String dataset, String defaultSite, List<Map<String, Object>> records) {
        DatasetDescriptor descriptor = catalog.get(dataset);
        Timestamp receivedAt = Timestamp.from(Instant.now());
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "lakehouse_ingest", password("lakehouse_ingest"));
             PreparedStatement insert = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            for (Map<String, Object> record : records) {
                String site = descriptor.siteField().map(record::get).map(String::valueOf).orElse(defaultSite);
                ValidationResult valid = RecordValidator.validate(descriptor, record, site);
                if (!valid.isValid()) {
                    throw new IllegalArgumentException("invalid " + dataset + " record " + record + ": "
                            + valid.errors());
                }
                insert.setString(1, dataset);
                insert.setString(2, valid.key());
                insert.setString(3, site);
                insert.setTimestamp(4, receivedAt);
                insert.setString(5, JSON.writeValueAsString(valid.payload()));
                insert.addBatch();
            }
            int staged = 0;
            for (int count : insert.executeBatch()) {
                staged += Math.max(count, 0);
            }
            c.commit();
            return staged;
        } catch (SQLException e) {
            throw new IllegalStateException("staging " + dataset + " rows failed", e);
        }
    }

    long stagedRows(String dataset) {
        try (Connection c = connect();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM staging.records WHERE dataset = ?")) {
            count.setString(1, dataset);
            try (var rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}

package ch.cern.alice.lakehouse.scenario.stack;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
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
 * Embedded Postgres holding the database {@code lakehouse} owned by the role the services log in with, the staging
 * schema from common (partitions per catalog dataset, as ingest-service creates them) and rows staged the way
 * ingest-service writes them: validated, normalized payloads, ON CONFLICT DO NOTHING on the dedup key.
 * The services create their own schemas with Flyway when they start.
 */
final class StagingDatabase implements AutoCloseable {

    static final String DATABASE = "lakehouse";
    static final String USER = "lakehouse";
    static final String PASSWORD = "lakehouse-scenario";

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
                st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                st.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
            Flyway.configure().dataSource(jdbcUrl(), USER, PASSWORD).locations("classpath:db/staging")
                    .schemas("staging").table("flyway_staging_history").load().migrate();
            try (Connection c = connect(); Statement st = c.createStatement()) {
                for (String dataset : catalog.names()) {
                    st.execute("CREATE TABLE staging.records_" + dataset + " PARTITION OF staging.records"
                            + " FOR VALUES IN ('" + dataset + "')");
                }
            }
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw new IllegalStateException("could not prepare the staging database", e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
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
        try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(INSERT)) {
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

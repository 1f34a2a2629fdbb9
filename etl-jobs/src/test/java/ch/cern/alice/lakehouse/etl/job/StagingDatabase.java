package ch.cern.alice.lakehouse.etl.job;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A real Postgres (zonky) with the staging schema as ingest-service has it: the SQL migrations of common's
 * {@code db/staging} in version order, one partition per dataset, and a writer that applies the staging rule the
 * way ingest does (for a dedup key the newest record wins; an update takes a new id).
 */
final class StagingDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private StagingDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static StagingDatabase start(String... datasets) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        StagingDatabase db = new StagingDatabase(postgres);
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            for (String sql : migrations()) {
                st.execute(sql);
            }
            // the columns staging migration V3 adds, for a common jar that does not have it yet
            st.execute("ALTER TABLE staging.records ADD COLUMN IF NOT EXISTS ordered_at TIMESTAMPTZ,"
                    + " ADD COLUMN IF NOT EXISTS kafka_partition INT, ADD COLUMN IF NOT EXISTS kafka_offset BIGINT");
            for (String ds : datasets) {
                st.execute("CREATE TABLE staging.records_" + ds + " PARTITION OF staging.records FOR VALUES IN ('"
                        + ds + "')");
            }
        } catch (Exception e) {
            postgres.close();
            throw e;
        }
        return db;
    }

    /** The SQL migrations in common's db/staging, in version order (Java migrations only re-key old rows). */
    private static List<String> migrations() throws Exception {
        URL v1 = StagingDatabase.class.getResource("/db/staging/V1__staging_records.sql");
        if (v1 == null) {
            throw new IllegalStateException("common's db/staging migrations are not on the test classpath");
        }
        URI uri = v1.toURI();
        if (uri.getScheme().equals("jar")) {
            try {
                FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                FileSystems.newFileSystem(uri, Map.of());
            }
        }
        Path dir = Path.of(uri).getParent();
        List<String> sql = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(StagingDatabase::version)).toList()) {
                sql.add(Files.readString(f));
            }
        }
        return sql;
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    Connection connection() throws Exception {
        return postgres.getPostgresDatabase().getConnection();
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /**
     * Stages a record like ingest-service: a new dedup key inserts; an existing one is replaced only by a newer
     * record - (ordered_at, received_at, kafka_partition, kafka_offset), nulls lowest - which takes a new id.
     *
     * @return the row's id, or -1 when the staged row was newer and stays
     */
    long stageNewest(String dataset, String dedupKey, String site, Instant receivedAt, Instant orderedAt,
                     Integer kafkaPartition, Long kafkaOffset, String payload) throws Exception {
        String newer = "(coalesce(%1$s.ordered_at, '-infinity'), %1$s.received_at, coalesce(%1$s.kafka_partition, -1),"
                + " coalesce(%1$s.kafka_offset, -1))";
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO staging.records AS r (dataset, dedup_key, site, received_at, payload, ordered_at,"
                        + " kafka_partition, kafka_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (dataset, dedup_key) DO UPDATE SET id = nextval('staging.records_id_seq'),"
                        + " site = EXCLUDED.site, received_at = EXCLUDED.received_at, staged_at = now(),"
                        + " payload = EXCLUDED.payload, ordered_at = EXCLUDED.ordered_at,"
                        + " kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset"
                        + " WHERE " + newer.formatted("EXCLUDED") + " > " + newer.formatted("r")
                        + " RETURNING id")) {
            ps.setString(1, dataset);
            ps.setString(2, dedupKey);
            ps.setString(3, site);
            ps.setTimestamp(4, Timestamp.from(receivedAt));
            ps.setString(5, payload);
            ps.setTimestamp(6, orderedAt == null ? null : Timestamp.from(orderedAt));
            ps.setObject(7, kafkaPartition, Types.INTEGER);
            ps.setObject(8, kafkaOffset, Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    long maxId(String dataset) throws Exception {
        try (Connection c = connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM " + StagingReader.stagingTable(dataset))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long count(String dataset) throws Exception {
        try (Connection c = connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + StagingReader.stagingTable(dataset))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What etl-service does after a successful run: the migrated rows go. */
    void deleteUpTo(String dataset, long id) throws Exception {
        try (Connection c = connection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM " + StagingReader.stagingTable(dataset) + " WHERE id <= " + id);
        }
    }

    @Override
    public void close() throws Exception {
        postgres.close();
    }
}

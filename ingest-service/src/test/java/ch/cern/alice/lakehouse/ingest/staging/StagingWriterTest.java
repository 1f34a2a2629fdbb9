package ch.cern.alice.lakehouse.ingest.staging;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterSchema;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** StagingWriter and StagingPartitions against a real PostgreSQL with the staging migration applied. */
class StagingWriterTest {

    private static TestPostgres postgres;
    private static JdbcTemplate jdbc;
    private static StagingWriter writer;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
        Flyway.configure().dataSource(postgres.lakehouse()).locations("classpath:db/staging")
                .schemas("staging").defaultSchema("staging").load().migrate();
        new DeadLetterSchema(postgres.lakehouse()); // schema ingest: the figures each write adds to (issue #18)
        jdbc = postgres.jdbc();
        writer = new StagingWriter(postgres.lakehouse(), partitions(DatasetCatalog.builtIn()));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static StagingPartitions partitions(DatasetCatalog catalog) {
        StagingPartitions partitions = new StagingPartitions(jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(postgres.lakehouse())), catalog,
                new StaticListableBeanFactory().getBeanProvider(FlywayMigrationInitializer.class));
        partitions.afterPropertiesSet();
        return partitions;
    }

    @Test
    void everyCatalogDatasetHasItsPartitionAndASecondRunCreatesNothing() {
        StagingPartitions partitions = partitions(DatasetCatalog.builtIn());
        assertThat(partitions.existing()).contains("records_default", "records_trace",
                "records_job_info", "records_jdl", "records_metrics");
        assertThat(partitions.ensureAll()).isEmpty();
    }

    @Test
    void writesRowsIntoTheirDatasetPartitionInBatchOrder() throws Exception {
        List<StagedRow> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(row("trace", "w-" + i, "{\"job_id\": " + i + ", \"jdl\": \"a\\\\b\\n\\\"q\\\"\\t\"}"));
        }
        rows.add(row("metrics", "CERN|ALICE_CE|n1|load1|1717000000000", "{\"value\": 1.5}"));

        BatchOutcome outcome = writer.write(rows);

        assertThat(outcome.insertedByDataset()).isEqualTo(Map.of("trace", 50L, "metrics", 1L));
        assertThat(outcome.duplicates()).isZero();
        assertThat(outcome.rejected()).isEmpty();
        List<String> keysById = jdbc.queryForList(
                "SELECT dedup_key FROM staging.records_trace WHERE dedup_key LIKE 'w-%' ORDER BY id", String.class);
        assertThat(keysById).isEqualTo(rows.subList(0, 50).stream().map(StagedRow::dedupKey).toList());
        Map<String, Object> first = jdbc.queryForMap("SELECT dataset, site, received_at, "
                + "payload::jsonb->>'jdl' AS jdl, (payload::jsonb->>'job_id')::int AS job_id, staged_at FROM staging.records WHERE dedup_key = 'w-0'");
        assertThat(first.get("dataset")).isEqualTo("trace");
        assertThat(first.get("site")).isEqualTo("CERN");
        assertThat(((java.time.OffsetDateTime) jdbc.queryForObject(
                "SELECT received_at FROM staging.records WHERE dedup_key = 'w-0'", java.time.OffsetDateTime.class))
                .toInstant().toEpochMilli()).isEqualTo(1_717_000_000_123L);
        assertThat(first.get("jdl")).isEqualTo("a\\b\n\"q\"\t");
        assertThat(first.get("job_id")).isEqualTo(0);
        assertThat(first.get("staged_at")).isNotNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.records_metrics WHERE dedup_key = ?", Long.class,
                rows.get(50).dedupKey())).isEqualTo(1L);
    }

    @Test
    void dropsKeysAlreadyStagedAndRepeatsWithinABatchKeepingTheFirst() throws Exception {
        writer.write(List.of(row("job_info", "d-1", "{\"v\": 1}")));

        BatchOutcome outcome = writer.write(List.of(
                row("job_info", "d-1", "{\"v\": 2}"),
                row("job_info", "d-2", "{\"v\": 1}"),
                row("job_info", "d-2", "{\"v\": 2}")));

        assertThat(outcome.insertedByDataset()).isEqualTo(Map.of("job_info", 1L));
        assertThat(outcome.duplicatesByDataset()).isEqualTo(Map.of("job_info", 2L));
        assertThat(jdbc.queryForList("SELECT dedup_key || '=' || (payload::jsonb->>'v') FROM staging.records "
                + "WHERE dataset = 'job_info' AND dedup_key LIKE 'd-%' ORDER BY id", String.class))
                .containsExactly("d-1=1", "d-2=1");
    }

    @Test
    void dropsRepeatsWithinABatchOfNewKeysKeepingTheFirst() throws Exception {
        BatchOutcome outcome = writer.write(List.of(
                row("job_info", "n-1", "{\"v\": 1}"),
                row("job_info", "n-2", "{\"v\": 1}"),
                row("job_info", "n-1", "{\"v\": 2}"),
                row("metrics", "n-1", "{\"v\": 3}")));

        assertThat(outcome.insertedByDataset()).isEqualTo(Map.of("job_info", 2L, "metrics", 1L));
        assertThat(outcome.duplicatesByDataset()).isEqualTo(Map.of("job_info", 1L));
        assertThat(jdbc.queryForList("SELECT dataset || ':' || dedup_key || '=' || (payload::jsonb->>'v') "
                + "FROM staging.records WHERE dedup_key LIKE 'n-%' ORDER BY id", String.class))
                .containsExactly("job_info:n-1=1", "job_info:n-2=1", "metrics:n-1=3");
    }

    @Test
    void aRedeliveredBatchStagesNothingTwiceAndKeepsTheFirstIds() throws Exception {
        List<StagedRow> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(row("trace", "again-" + i, "{\"n\": " + i + "}"));
        }
        writer.write(batch);
        List<Long> firstIds = jdbc.queryForList(
                "SELECT id FROM staging.records_trace WHERE dedup_key LIKE 'again-%' ORDER BY id", Long.class);

        BatchOutcome again = writer.write(batch);
        List<StagedRow> partlyNew = new ArrayList<>(batch.subList(10, 20));
        partlyNew.add(row("trace", "again-20", "{\"n\": 20}"));
        BatchOutcome mixed = writer.write(partlyNew);

        assertThat(again.inserted()).isZero();
        assertThat(again.duplicatesByDataset()).isEqualTo(Map.of("trace", 20L));
        assertThat(mixed.insertedByDataset()).isEqualTo(Map.of("trace", 1L));
        assertThat(mixed.duplicatesByDataset()).isEqualTo(Map.of("trace", 10L));
        List<Long> ids = jdbc.queryForList(
                "SELECT id FROM staging.records_trace WHERE dedup_key LIKE 'again-%' ORDER BY id", Long.class);
        assertThat(ids).hasSize(21).startsWith(firstIds.toArray(Long[]::new));
        assertThat(ids.get(20)).isGreaterThan(firstIds.get(19));
    }

    @Test
    void withinABatchTheNewestRecordOfAKeyWinsByOrderValueThenReceiveTimeThenKafkaPosition() throws Exception {
        List<StagedRow> batch = List.of(
                // by order value, nulls lowest, whatever the arrival order
                ordered("job_info", "b-order", "DONE", 200L, 1_000, 0, 10),
                ordered("job_info", "b-order", "RUNNING", 100L, 9_000, 0, 11),
                ordered("job_info", "b-order", "INSERTING", null, 9_999, 2, 99),
                // same order value: the later receive time
                ordered("trace", "b-received", "first", 500L, 2_000, 1, 5),
                ordered("trace", "b-received", "second", 500L, 3_000, 0, 1),
                // same order value and receive time: the higher partition, then the higher offset
                ordered("metrics", "b-partition", "p1", null, 1_000, 1, 50),
                ordered("metrics", "b-partition", "p2", null, 1_000, 2, 3),
                ordered("jdl", "b-offset", "o7", null, 1_000, 1, 7),
                ordered("jdl", "b-offset", "o6", null, 1_000, 1, 6));

        BatchOutcome outcome = writer.write(batch);

        assertThat(outcome.insertedByDataset())
                .isEqualTo(Map.of("job_info", 1L, "trace", 1L, "metrics", 1L, "jdl", 1L));
        assertThat(outcome.staleByDataset()).isEqualTo(Map.of("job_info", 2L, "trace", 1L, "metrics", 1L, "jdl", 1L));
        assertThat(outcome.duplicates()).isZero();
        assertThat(state("b-order")).isEqualTo("DONE");
        assertThat(state("b-received")).isEqualTo("second");
        assertThat(state("b-partition")).isEqualTo("p2");
        assertThat(state("b-offset")).isEqualTo("o7");
        Map<String, Object> kept = jdbc.queryForMap("SELECT ordered_at, received_at, kafka_partition, kafka_offset "
                + "FROM staging.records WHERE dedup_key = 'b-order'");
        assertThat(((java.sql.Timestamp) kept.get("ordered_at")).getTime()).isEqualTo(1_717_000_000_200L);
        assertThat(((java.sql.Timestamp) kept.get("received_at")).getTime()).isEqualTo(1_717_000_001_000L);
        assertThat(kept.get("kafka_partition")).isEqualTo(0);
        assertThat(kept.get("kafka_offset")).isEqualTo(10L);
    }

    @Test
    void aNewerRecordReplacesTheStagedRowWithANewIdAndALateOlderOneChangesNothing() throws Exception {
        writer.write(List.of(ordered("job_info", "x-1", "DONE", 200L, 1_000, 0, 1)));
        long doneId = id("x-1");

        BatchOutcome late = writer.write(List.of(ordered("job_info", "x-1", "RUNNING", 100L, 5_000, 0, 2)));
        assertThat(late.staleByDataset()).isEqualTo(Map.of("job_info", 1L));
        assertThat(late.inserted() + late.updated() + late.duplicates()).isZero();
        assertThat(state("x-1")).isEqualTo("DONE");
        assertThat(id("x-1")).isEqualTo(doneId);

        BatchOutcome newer = writer.write(List.of(
                ordered("job_info", "x-2", "RUNNING", 100L, 5_000, 0, 3),
                ordered("job_info", "x-1", "ERROR_E", 300L, 500, 0, 4)));
        assertThat(newer.updatedByDataset()).isEqualTo(Map.of("job_info", 1L));
        assertThat(newer.insertedByDataset()).isEqualTo(Map.of("job_info", 1L));
        assertThat(state("x-1")).isEqualTo("ERROR_E");
        assertThat(id("x-1")).isGreaterThan(id("x-2")).isGreaterThan(doneId);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.records WHERE dedup_key = 'x-1'", Long.class))
                .isEqualTo(1L);
        assertThat(jdbc.queryForObject("SELECT ordered_at FROM staging.records WHERE dedup_key = 'x-1'",
                java.sql.Timestamp.class).getTime()).isEqualTo(1_717_000_000_300L);
    }

    @Test
    void aRecordWithoutOrderValueNeverReplacesOneWithAndTheReceiveTimeDecidesBetweenEqualOrderValues()
            throws Exception {
        writer.write(List.of(ordered("trace", "y-1", "sent", 100L, 1_000, 0, 1),
                ordered("trace", "y-2", "no-order", null, 1_000, 0, 2)));

        BatchOutcome outcome = writer.write(List.of(
                ordered("trace", "y-1", "no-order-later", null, 9_000, 0, 3),   // null is lowest
                ordered("trace", "y-2", "with-order", 50L, 500, 0, 4)));       // beats a null order value
        assertThat(outcome.staleByDataset()).isEqualTo(Map.of("trace", 1L));
        assertThat(outcome.updatedByDataset()).isEqualTo(Map.of("trace", 1L));
        assertThat(state("y-1")).isEqualTo("sent");
        assertThat(state("y-2")).isEqualTo("with-order");

        BatchOutcome tie = writer.write(List.of(ordered("trace", "y-1", "resent", 100L, 2_000, 0, 0)));
        assertThat(tie.updatedByDataset()).isEqualTo(Map.of("trace", 1L));
        assertThat(state("y-1")).isEqualTo("resent");
    }

    @Test
    void anUpdateIsNotDeletedWithTheIdRangeAnEtlRunClaimedBeforeIt() throws Exception {
        writer.write(List.of(ordered("job_info", "claim-1", "RUNNING", 100L, 1_000, 0, 1)));
        // the ETL's claim (docs/contracts.md): lock the partition, read max(id); then it reads the range
        long claimedMax;
        try (java.sql.Connection claim = postgres.lakehouse().getConnection();
             java.sql.Statement statement = claim.createStatement()) {
            claim.setAutoCommit(false);
            statement.execute("LOCK TABLE staging.records_job_info IN SHARE MODE");
            try (java.sql.ResultSet max = statement.executeQuery("SELECT max(id) FROM staging.records_job_info")) {
                max.next();
                claimedMax = max.getLong(1);
            }
            claim.commit();
        }
        assertThat(id("claim-1")).isLessThanOrEqualTo(claimedMax);

        writer.write(List.of(ordered("job_info", "claim-1", "DONE", 200L, 2_000, 0, 2)));
        // the run ends: it deletes exactly its range
        jdbc.update("DELETE FROM staging.records_job_info WHERE id <= ?", claimedMax);

        assertThat(state("claim-1")).isEqualTo("DONE");
        assertThat(id("claim-1")).isGreaterThan(claimedMax);
    }

    @Test
    void theSameRecordDeliveredAgainChangesNothing() throws Exception {
        List<StagedRow> batch = List.of(ordered("job_info", "again-r1", "DONE", 200L, 1_000, 1, 7),
                ordered("job_info", "again-r2", "RUNNING", null, 1_000, 1, 8));
        writer.write(batch);
        List<Map<String, Object>> before = jdbc.queryForList(
                "SELECT * FROM staging.records WHERE dedup_key LIKE 'again-r%' ORDER BY id");

        BatchOutcome again = writer.write(List.of(batch.get(1), batch.get(0), batch.get(1)));

        assertThat(again.duplicatesByDataset()).isEqualTo(Map.of("job_info", 3L));
        assertThat(again.inserted() + again.updated() + again.stale()).isZero();
        assertThat(jdbc.queryForList("SELECT * FROM staging.records WHERE dedup_key LIKE 'again-r%' ORDER BY id"))
                .isEqualTo(before);
    }

    @Test
    void stagesPayloadsAsTheJsonTextTheEtlReads() throws Exception {
        String payload = "{\"job_id\":7,\"host\":\"wn1.cern.grid\",\"cpuefficiency\":91.5}";
        writer.write(List.of(row("trace", "text-1", payload)));

        assertThat(jdbc.queryForObject("SELECT payload::text FROM staging.records_trace WHERE dedup_key = 'text-1'",
                String.class)).isEqualTo(payload);
        assertThat(jdbc.queryForObject("SELECT data_type FROM information_schema.columns WHERE table_schema = "
                + "'staging' AND table_name = 'records_trace' AND column_name = 'payload'", String.class))
                .isEqualTo("text");
    }

    @Test
    void isolatesRowsTheDatabaseRefusesAndStagesTheRest() throws Exception {
        List<StagedRow> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row("jdl", "r-" + i, "{\"n\": " + i + "}"));
        }
        rows.set(3, row("jdl", incompressibleKey(10_000), "{\"n\": 3}"));  // too long for the key index
        rows.set(7, row("jdl", "r-7\u0000", "{\"n\": 7}"));                 // text refuses a NUL byte
        rows.add(0, ordered("jdl", "r-5", "older", null, -1, 0, 0));       // dropped: indexes stay those of the batch
        rows.add(1, ordered("jdl", "r-6", "newer", null, 1_000_000, 0, 0)); // kept: r-6 of the batch is older

        BatchOutcome outcome = writer.write(rows);

        assertThat(outcome.rejected()).extracting(BatchOutcome.RejectedRow::index).containsExactly(5, 9);
        assertThat(outcome.staleByDataset()).isEqualTo(Map.of("jdl", 2L));
        assertThat(outcome.rejected().get(0).reason()).startsWith("refused by the staging database: [54");
        assertThat(outcome.rejected().get(1).reason()).startsWith("refused by the staging database: [22");
        assertThat(outcome.insertedByDataset()).isEqualTo(Map.of("jdl", 8L));
        assertThat(jdbc.queryForList("SELECT dedup_key FROM staging.records WHERE dataset = 'jdl' "
                + "AND dedup_key LIKE 'r-%' ORDER BY id", String.class))
                .containsExactly("r-6", "r-0", "r-1", "r-2", "r-4", "r-5", "r-8", "r-9");
        assertThat(state("r-6")).isEqualTo("newer");
        assertThat(jdbc.queryForObject("SELECT payload FROM staging.records WHERE dedup_key = 'r-5'", String.class))
                .isEqualTo("{\"n\": 5}");
    }

    @Test
    void reportsAnUnavailableDatabaseWithoutWritingAnything() {
        postgres.refuseConnections();
        try {
            assertThatThrownBy(() -> writer.write(List.of(row("trace", "u-1", "{}"))))
                    .isInstanceOf(StagingUnavailableException.class)
                    .hasMessageContaining("staging database unavailable")
                    .hasMessageContaining("not currently accepting connections");
        } finally {
            postgres.allowConnections();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.records WHERE dedup_key = 'u-1'", Long.class))
                .isZero();
    }

    @Test
    void aNewDescriptorGetsItsPartitionAndRowsStrandedInTheDefaultPartitionMoveIntoIt(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        jdbc.update("INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) "
                + "VALUES ('alarms', 'a-1', 'GSI', now(), '{}')");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.records_default", Long.class)).isEqualTo(1L);
        Files.writeString(dir.resolve("alarms.dataset"), """
                dataset alarms
                key alarm_id
                time raised
                partition year month
                field alarm_id BIGINT required
                field raised EPOCH_MS required
                """);

        StagingPartitions partitions = partitions(DatasetCatalog.builtInPlus(dir));

        assertThat(partitions.existing()).contains("records_alarms");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.records_default", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.records_alarms WHERE dedup_key = 'a-1'",
                Long.class)).isEqualTo(1L);
        BatchOutcome outcome = writer.write(List.of(row("alarms", "a-1", "{}"), row("alarms", "a-2", "{}")));
        assertThat(outcome.insertedByDataset()).isEqualTo(Map.of("alarms", 1L));
    }

    /** Random letters: TOAST cannot compress them below the btree limit of ~2.7 kB per index entry. */
    private static String incompressibleKey(int length) {
        java.util.Random random = new java.util.Random(42);
        StringBuilder key = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            key.append((char) ('a' + random.nextInt(26)));
        }
        return key.toString();
    }

    /** A row whose payload is {"s": state}; times are offsets from 1_717_000_000_000 ms. */
    private static StagedRow ordered(String dataset, String key, String state, Long orderedAt, long receivedAt,
                                     int partition, long offset) {
        return new StagedRow(dataset, key, "CERN", 1_717_000_000_000L + receivedAt,
                ("{\"s\": \"" + state + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                orderedAt == null ? null : 1_717_000_000_000L + orderedAt, partition, offset);
    }

    private static String state(String key) {
        return jdbc.queryForObject("SELECT payload::jsonb->>'s' FROM staging.records WHERE dedup_key = ?",
                String.class, key);
    }

    private static long id(String key) {
        return jdbc.queryForObject("SELECT id FROM staging.records WHERE dedup_key = ?", Long.class, key);
    }

    private static StagedRow row(String dataset, String key, String payloadJson) {
        return new StagedRow(dataset, key, "CERN", 1_717_000_000_123L, payloadJson);
    }
}

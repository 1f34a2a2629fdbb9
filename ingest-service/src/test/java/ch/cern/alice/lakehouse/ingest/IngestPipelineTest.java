package ch.cern.alice.lakehouse.ingest;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.consume.RetryBackoff;
import ch.cern.alice.lakehouse.ingest.testsupport.Envelopes;
import ch.cern.alice.lakehouse.ingest.testsupport.TestKafka;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ingest service as it runs: a real KRaft Kafka broker and a real PostgreSQL, both on random ports, and the
 * Spring Boot application started (and restarted) like in production. Each test works on its own key range.
 */
class IngestPipelineTest {

    private static final String GROUP = "ingest-it";
    private static final String TRACE = "lakehouse.trace";
    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();

    private static TestPostgres postgres;
    private static TestKafka kafka;
    private static JdbcTemplate jdbc;
    private static ConfigurableApplicationContext app;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startStack() throws Exception {
        postgres = TestPostgres.start();
        kafka = new TestKafka(CATALOG);
        jdbc = postgres.jdbc();
        app = startIngest();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ConfigurableApplicationContext startIngest() {
        return IngestApplication.application().run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrap(),
                "--spring.kafka.consumer.group-id=" + GROUP,
                "--spring.kafka.listener.concurrency=2",
                "--ingest.retry-initial-backoff=200ms",
                "--ingest.retry-max-backoff=1s",
                "--ingest.lag-refresh-interval=500ms",
                "--ingest.topic-partitions=" + TestKafka.PARTITIONS,
                "--lakehouse.security.users=ops:{noop}ops-pw:admin");
    }

    @Test
    void everyDatasetHasItsStagingPartition() {
        List<String> partitions = jdbc.queryForList("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'staging.records'::regclass""", String.class);
        assertThat(partitions).contains("records_default", "records_trace", "records_job_info", "records_jdl",
                "records_metrics");
    }

    @Test
    void envelopesLandInStagingWithTheirColumnsAndIncreasingIds() {
        for (long jobId = 1000; jobId < 1010; jobId++) {
            kafka.send(TRACE, 0, Long.toString(jobId), Envelopes.trace(jobId, "CNAF"));
        }
        Map<String, Object> metric = Map.of("farm", "FZK", "cluster", "ALICE_CE", "node", "wn1", "parameter",
                "load1", "value", 3, "timestamp", 1_717_000_000_000L);
        String metricKey = "FZK|FZK|ALICE_CE|wn1|load1|1717000000000";
        kafka.send("lakehouse.metrics", null, metricKey,
                Envelopes.envelope("metrics", "FZK", metricKey, Envelopes.RECEIVED_AT, metric));

        await().atMost(Duration.ofSeconds(30)).until(
                () -> count("dedup_key BETWEEN 'CNAF|1000' AND 'CNAF|1009'") == 10
                && count("dataset = 'metrics' AND dedup_key = '" + metricKey + "'") == 1);

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, dataset, dedup_key, site, received_at, "
                + "staged_at, payload::text AS payload, ordered_at, kafka_partition, kafka_offset "
                + "FROM staging.records_trace WHERE dedup_key BETWEEN 'CNAF|1000' AND 'CNAF|1009' ORDER BY id");
        assertThat(rows).extracting(r -> r.get("dedup_key")).containsExactly("CNAF|1000", "CNAF|1001", "CNAF|1002",
                "CNAF|1003", "CNAF|1004", "CNAF|1005", "CNAF|1006", "CNAF|1007", "CNAF|1008", "CNAF|1009");
        assertThat(rows).extracting(r -> r.get("kafka_partition")).containsOnly(0);
        assertThat(rows).extracting(r -> (Long) r.get("kafka_offset")).isSorted().doesNotHaveDuplicates();
        assertThat(rows).extracting(r -> r.get("ordered_at")).containsOnlyNulls(); // laststatuschangetimestamp not sent
        Map<String, Object> first = rows.get(0);
        assertThat(first.get("dataset")).isEqualTo("trace");
        assertThat(first.get("site")).isEqualTo("CNAF");
        assertThat(((java.sql.Timestamp) first.get("received_at")).toInstant().toEpochMilli())
                .isEqualTo(Envelopes.RECEIVED_AT);
        assertThat(first.get("staged_at")).isNotNull();
        JsonNode payload = json.readTree((String) first.get("payload"));
        assertThat(payload.get("job_id").asLong()).isEqualTo(1000L);
        assertThat(payload.get("cpuefficiency").asDouble()).isEqualTo(87.0);
        assertThat(payload.get("host").asString()).isEqualTo("wn30.cern.ch");
        assertThat(payload.propertyNames()).hasSize(Envelopes.tracePayload(1000).size());
        assertThat(jdbc.queryForObject(
                "SELECT payload::jsonb->>'value' FROM staging.records_metrics WHERE dedup_key = ?",
                String.class, metricKey)).isEqualTo("3.0");
    }

    @Test
    void recordsSentAgainAddNoRowsAndTheLaterCopyIsStaged() throws Exception {
        List<Map.Entry<String, byte[]>> batch = new ArrayList<>();
        for (long jobId = 2000; jobId < 2200; jobId++) {
            batch.add(new AbstractMap.SimpleEntry<>(Long.toString(jobId), Envelopes.trace(jobId, "GSI")));
        }
        String range = "dedup_key BETWEEN 'GSI|2000' AND 'GSI|2199'";
        kafka.sendAll(TRACE, batch);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(range) == 200);
        awaitAllCommitted();
        long maxIdBefore = jdbc.queryForObject("SELECT max(id) FROM staging.records WHERE " + range, Long.class);
        long updatedBefore = stats().get("totals").get("rowsUpdated").asLong();

        // the same records once more (a client retry): equal but for their later Kafka offsets, so they win
        kafka.sendAll(TRACE, batch);
        awaitAllCommitted();

        assertThat(count(range)).isEqualTo(200);
        assertThat(count(range + " AND site = 'GSI'")).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT min(id) FROM staging.records WHERE " + range, Long.class))
                .isGreaterThan(maxIdBefore);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                stats().get("totals").get("rowsUpdated").asLong() - updatedBefore).isEqualTo(200));
    }

    @Test
    void poisonRecordsGoToTheDlqWithTheirReasonAndTheFollowingRecordsStillLand() throws Exception {
        long firstOffset = kafka.endOffsets(List.of(TRACE)).get(new TopicPartition(TRACE, 1));
        Map<String, Object> invalid = Envelopes.tracePayload(3002, "SARA");
        invalid.put("walltime", "forever");
        Map<String, Object> nul = Envelopes.tracePayload(3005, "SARA");
        nul.put("host", "wn\u0000.cern.ch");
        byte[] notJson = "<trace job=3001/>".getBytes(StandardCharsets.UTF_8);
        List<byte[]> values = List.of(
                Envelopes.trace(3000, "SARA"),
                notJson,
                Envelopes.envelope("trace", "SARA", "3002", Envelopes.RECEIVED_AT, invalid),
                Envelopes.json(Map.of("job_id", 3003)),
                Envelopes.envelope("muons", "SARA", "3004", Envelopes.RECEIVED_AT, Envelopes.tracePayload(3004)),
                Envelopes.envelope("trace", "SARA", "3005", Envelopes.RECEIVED_AT, nul),
                Envelopes.envelope("trace", "SARA", "3006", Envelopes.RECEIVED_AT, Envelopes.tracePayload(3006, "GSI")),
                Envelopes.trace(3007, "SARA"));
        for (int i = 0; i < values.size(); i++) {
            kafka.send(TRACE, 1, Long.toString(3000 + i), values.get(i));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> count("dedup_key = 'SARA|3007'") == 1);
        assertThat(jdbc.queryForList("SELECT dedup_key FROM staging.records WHERE dedup_key LIKE 'SARA|%' ORDER BY id",
                String.class))
                .containsExactly("SARA|3000", "SARA|3007");

        List<ConsumerRecord<byte[], byte[]>> dead = await().atMost(Duration.ofSeconds(30)).until(
                () -> kafka.readDeadLetters().stream()
                        .filter(r -> TRACE.equals(TestKafka.header(r, "dlq.topic"))
                                && "1".equals(TestKafka.header(r, "dlq.partition"))
                                && Long.parseLong(TestKafka.header(r, "dlq.offset")) >= firstOffset)
                        .toList(),
                list -> list.size() == 6);
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new java.util.HashMap<>();
        dead.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
        assertThat(byKey).containsOnlyKeys("3001", "3002", "3003", "3004", "3005", "3006");
        assertThat(byKey.get("3001").value()).isEqualTo(notJson);
        assertThat(TestKafka.header(byKey.get("3001"), "dlq.reason")).startsWith("not JSON: ");
        assertThat(TestKafka.header(byKey.get("3001"), "dlq.offset")).isEqualTo(Long.toString(firstOffset + 1));
        assertThat(TestKafka.header(byKey.get("3001"), "dlq.service")).isEqualTo("ingest-service");
        assertThat(TestKafka.header(byKey.get("3002"), "dlq.reason"))
                .isEqualTo("payload fails validation: walltime: expected an integer, got string \"forever\"");
        assertThat(TestKafka.header(byKey.get("3003"), "dlq.reason")).startsWith("not a record envelope: ");
        assertThat(TestKafka.header(byKey.get("3004"), "dlq.reason")).startsWith("unknown dataset 'muons'");
        assertThat(TestKafka.header(byKey.get("3005"), "dlq.reason"))
                .isEqualTo("payload field host holds a NUL character (U+0000), which staging cannot store");
        assertThat(TestKafka.header(byKey.get("3006"), "dlq.reason")).isEqualTo("payload fails validation: site: "
                + "must be the sending site 'SARA' (the API key's site owns its records), got 'GSI'");
        awaitAllCommitted();
        assertThat(stats().get("datasets").findValues("deadLetters").stream().mapToLong(JsonNode::asLong).sum())
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void statsMetricsAndHealthAreServed() throws Exception {
        kafka.send(TRACE, null, "4000", Envelopes.trace(4000, "NDGF"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("dedup_key = 'NDGF|4000'") == 1);
        awaitAllCommitted();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stats = stats();
            assertThat(stats.get("datasets")).hasSize(CATALOG.names().size());
            JsonNode trace = stats.get("datasets").get(0);
            assertThat(trace.get("dataset").asString()).isEqualTo("trace");
            assertThat(trace.get("stagedRows").asLong()).isEqualTo(count("dataset = 'trace'"));
            assertThat(trace.get("rowsWritten").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(trace.get("consumerLag").asLong()).isZero();
            assertThat(stats.get("totals").get("stagedRows").asLong()).isEqualTo(count("true"));
            assertThat(stats.get("staging").get("available").asBoolean()).isTrue();
        });
        String prometheus = get("/actuator/prometheus").body();
        assertThat(prometheus).contains("lakehouse_ingest_rows_written_total{", "dataset=\"trace\"")
                .contains("lakehouse_ingest_duplicates_dropped_total{")
                .contains("lakehouse_ingest_rows_updated_total{")
                .contains("lakehouse_ingest_stale_dropped_total{")
                .contains("lakehouse_ingest_dead_letters_total{")
                .contains("lakehouse_ingest_batch_write_seconds_bucket{")
                .contains("lakehouse_ingest_consumer_lag{");
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode components = json.readTree(health.body()).get("components");
        assertThat(components.get("db").get("status").asString()).isEqualTo("UP");
        assertThat(components.get("ingest").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void whileTheDatabaseIsDownNothingIsCommittedOrDeadLetteredAndEverythingArrivesAfterwards() throws Exception {
        awaitAllCommitted();
        Map<TopicPartition, Long> committedBefore = traceOffsets(kafka.committed(GROUP));
        int deadBefore = kafka.readDeadLetters().size();
        RetryBackoff backoff = app.getBean(RetryBackoff.class);

        postgres.refuseConnections();
        try {
            List<Map.Entry<String, byte[]>> batch = new ArrayList<>();
            for (long jobId = 5000; jobId < 5300; jobId++) {
                batch.add(new AbstractMap.SimpleEntry<>(Long.toString(jobId), Envelopes.trace(jobId, "KISTI_GSDC")));
            }
            kafka.sendAll(TRACE, batch);
            await().atMost(Duration.ofSeconds(30)).until(() -> backoff.consecutiveFailures() >= 3);
            assertThat(traceOffsets(kafka.committed(GROUP))).isEqualTo(committedBefore);
            JsonNode stats = stats();
            assertThat(stats.get("staging").get("available").asBoolean()).isFalse();
            assertThat(stats.get("staging").get("lastError").asString()).contains("staging database unavailable");
            assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
        } finally {
            postgres.allowConnections();
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("dedup_key BETWEEN 'KISTI_GSDC|5000' AND 'KISTI_GSDC|5299'") == 300);
        awaitAllCommitted();
        assertThat(backoff.failingSince()).isNull();
        assertThat(kafka.readDeadLetters()).hasSize(deadBefore);
    }

    @Test
    void restartingTheServiceMidStreamLosesAndDuplicatesNothing() throws Exception {
        int total = 30_000;
        AtomicBoolean producing = new AtomicBoolean(true);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int chunk = 0; chunk < 60; chunk++) {
                    List<Map.Entry<String, byte[]>> batch = new ArrayList<>();
                    for (int i = 0; i < total / 60; i++) {
                        long jobId = 100_000 + chunk * (total / 60) + i;
                        batch.add(new AbstractMap.SimpleEntry<>(Long.toString(jobId), Envelopes.trace(jobId, "RAL")));
                    }
                    kafka.sendAll(TRACE, batch);
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                producing.set(false);
            }
        });
        String range = "dedup_key BETWEEN 'RAL|100000' AND 'RAL|129999'";
        await().atMost(Duration.ofSeconds(60)).until(() -> count(range) >= 3_000);

        app.close();
        long stagedWhenStopped = count(range);
        boolean stoppedMidStream = producing.get();
        app = startIngest();

        producer.get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(90)).until(() -> count(range) == total);
        awaitAllCommitted();
        assertThat(stoppedMidStream).as("the service was stopped while records were still being produced").isTrue();
        assertThat(stagedWhenStopped).isLessThan(total);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT dedup_key) FROM staging.records WHERE " + range,
                Long.class)).isEqualTo(total);
        assertThat(kafka.readDeadLetters()).noneMatch(r -> new String(r.key(), StandardCharsets.UTF_8)
                .compareTo("100000") >= 0 && new String(r.key(), StandardCharsets.UTF_8).compareTo("129999") <= 0
                && new String(r.key(), StandardCharsets.UTF_8).length() == 6);
    }

    private static Map<TopicPartition, Long> traceOffsets(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> trace = new java.util.HashMap<>(offsets);
        trace.keySet().removeIf(tp -> !tp.topic().equals(TRACE));
        return trace;
    }

    private static void awaitAllCommitted() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kafka.uncommitted(GROUP,
                CATALOG.topics())).as("end offsets of partitions not fully committed").isEmpty());
    }

    private static long count(String where) {
        return jdbc.queryForObject("SELECT count(*) FROM staging.records WHERE " + where, Long.class);
    }

    private static JsonNode stats() throws Exception {
        HttpResponse<String> response = get("/api/v1/ingest/stats");
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        // an admin: stats need a login (viewer or above), Prometheus the METRICS role or admin, health details admin
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                "ops:ops-pw".getBytes(StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package ch.cern.alice.lakehouse.e2e;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP POST to the collector -> Kafka -> ingest -> Postgres staging, all real: embedded KRaft broker, embedded
 * PostgreSQL, both services as Spring Boot applications. Each test uses its own job id range.
 */
class IngestPathEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static LakehouseStack stack;
    private static CollectorHttp collector;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        stack = LakehouseStack.start(3, 2);
        collector = new CollectorHttp(stack.collectorUrl());
        jdbc = stack.jdbc();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void postedRecordsAreStagedOnceEvenWhenSentTwiceAndTheLaterCopyWins() throws Exception {
        long first = 7_000_000_000L;
        HttpResponse<String> response = collector.post("trace", LakehouseStack.CERN_KEY,
                TraceRecords.jsonArray(first, 500));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(500);

        await().atMost(Duration.ofSeconds(60)).until(() -> staged(first, 500) == 500);
        Map<String, Object> row = jdbc.queryForMap("SELECT site, payload::jsonb->>'site' AS job_site, "
                + "(payload::jsonb->>'walltime')::int AS walltime, id FROM staging.records_trace WHERE dedup_key = ?",
                "CERN|" + first);
        assertThat(row.get("site")).as("sender comes from the API key").isEqualTo("CERN");
        assertThat(row.get("job_site")).as("filled in from the API key").isEqualTo("CERN");
        assertThat((Integer) row.get("walltime")).isPositive();

        // the same records again: same laststatuschangetimestamp, received later, so each replaces its staged row
        long updatedBefore = ingestTotals().get("rowsUpdated").asLong();
        HttpResponse<String> again = collector.post("trace", LakehouseStack.CERN_KEY,
                TraceRecords.jsonArray(first, 500));
        assertThat(again.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> ingestTotals().get("rowsUpdated").asLong() - updatedBefore >= 500);
        assertThat(staged(first, 500)).isEqualTo(500);
        assertThat(jdbc.queryForObject("SELECT id FROM staging.records_trace WHERE dedup_key = ?", Long.class,
                "CERN|" + first)).as("an update gets a new id").isGreaterThan((Long) row.get("id"));
    }

    @Test
    void aBatchWithInvalidRecordsStagesTheValidOnesAndReportsTheOthers() throws Exception {
        long first = 7_100_000_000L;
        String body = "[" + TraceRecords.json(first) + ","
                + "{\"job_id\":\"not-a-number\",\"finaltimestamp\":1767225600000}," + TraceRecords.json(first + 2)
                + "]";
        HttpResponse<String> response = collector.post("trace", LakehouseStack.CERN_KEY, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.get("accepted").asInt()).isEqualTo(2);
        assertThat(result.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(result.get("rejected").get(0).get("errors").get(0).get("field").asString()).isEqualTo("job_id");
        await().atMost(Duration.ofSeconds(60)).until(() -> staged(first, 3) == 2);
        assertThat(jdbc.queryForList("SELECT dedup_key FROM staging.records_trace WHERE dedup_key IN (?, ?, ?) "
                + "ORDER BY dedup_key", String.class, "CERN|" + first, "CERN|" + (first + 1), "CERN|" + (first + 2)))
                .containsExactly("CERN|" + first, "CERN|" + (first + 2));
    }

    @Test
    void unknownKeysAreRefusedAndSitesOnlySendTheirDatasets() {
        String body = TraceRecords.jsonArray(7_200_000_000L, 1);
        assertThat(collector.post("trace", null, body).statusCode()).isEqualTo(401);
        assertThat(collector.post("trace", "no-such-key", body).statusCode()).isEqualTo(401);
        HttpResponse<String> forbidden = collector.post("job_info", LakehouseStack.FZK_KEY, "[{\"job_id\":1}]");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("FZK");
        assertThat(staged(7_200_000_000L, 1)).isZero();
    }

    @Test
    void theStatisticsOfBothServicesNeedAViewerLogin() throws Exception {
        long jobId = 7_250_000_000L;
        assertThat(collector.post("trace", LakehouseStack.FZK_KEY, TraceRecords.jsonArray(jobId, 1)).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM staging.records_trace WHERE dedup_key = ?", Long.class, "FZK|" + jobId) == 1);

        for (String stats : List.of(stack.collectorUrl() + "/api/v1/stats",
                stack.ingestUrl() + "/api/v1/ingest/stats")) {
            assertThat(collector.get(stats).statusCode()).as("no login: " + stats).isEqualTo(401);
            assertThat(collector.get(stats, "Basic " + java.util.Base64.getEncoder().encodeToString(
                    ("FZK:" + LakehouseStack.FZK_KEY).getBytes(StandardCharsets.UTF_8))).statusCode())
                    .as("a site's key is no login: " + stats).isEqualTo(401);
            assertThat(collector.get(stats, LakehouseStack.VIEWER).statusCode()).as("viewer: " + stats)
                    .isEqualTo(200);
        }
        JsonNode sites = JSON.readTree(collector.get(stack.collectorUrl() + "/api/v1/stats", LakehouseStack.VIEWER)
                .body()).get("sites");
        assertThat(sites.toString()).contains("\"site\":\"FZK\"");
    }

    @Test
    void aPoisonMessageOnADatasetTopicGoesToTheDlqAndLaterPostsStillLand() throws Exception {
        byte[] poison = "{\"this is\": \"no envelope\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> rogue = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            rogue.send(new ProducerRecord<>("lakehouse.trace", "poison-e2e".getBytes(StandardCharsets.UTF_8), poison))
                    .get(30, TimeUnit.SECONDS);
        }
        long first = 7_300_000_000L;
        assertThat(collector.post("trace", LakehouseStack.CERN_KEY, TraceRecords.jsonArray(first, 50)).statusCode())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).until(() -> staged(first, 50) == 50);
        ConsumerRecord<byte[], byte[]> dead = await().atMost(Duration.ofSeconds(60)).until(
                () -> deadLetters().stream().filter(r -> "poison-e2e".equals(new String(r.key(),
                        StandardCharsets.UTF_8))).findFirst().orElse(null), r -> r != null);
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(header(dead, "dlq.reason")).startsWith("not a record envelope: dataset is missing");
        assertThat(header(dead, "dlq.topic")).isEqualTo("lakehouse.trace");
        assertThat(header(dead, "dlq.service")).isEqualTo("ingest-service");
        assertThat(header(dead, "dlq.offset")).matches("\\d+");
    }

    @Test
    void restartingIngestMidStreamLosesAndDuplicatesNothing() throws Exception {
        long first = 7_400_000_000L;
        int batches = 40;
        int perBatch = 500;
        AtomicBoolean posting = new AtomicBoolean(true);
        CompletableFuture<List<Integer>> poster = CompletableFuture.supplyAsync(() -> {
            List<Integer> statuses = new ArrayList<>();
            try {
                for (int b = 0; b < batches; b++) {
                    statuses.add(collector.post("trace", LakehouseStack.CERN_KEY,
                            TraceRecords.jsonArray(first + (long) b * perBatch, perBatch)).statusCode());
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                posting.set(false);
            }
            return statuses;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> staged(first, batches * perBatch) >= 2_000);

        stack.stopIngest();
        boolean stoppedWhilePosting = posting.get();
        stack.startIngestAgain();

        assertThat(poster.get(120, TimeUnit.SECONDS)).hasSize(batches).containsOnly(202);
        await().atMost(Duration.ofSeconds(120)).until(() -> staged(first, batches * perBatch) == batches * perBatch);
        assertThat(stoppedWhilePosting).as("ingest was stopped while sites were still posting").isTrue();
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT dedup_key) FROM staging.records_trace "
                + "WHERE " + JOB_ID + " BETWEEN ? AND ?", Long.class, first, first + batches * perBatch - 1))
                .isEqualTo(batches * perBatch);
    }

    /** The job id of a staged trace row (all rows here are sent with CERN's key: dedup key CERN|job_id). */
    private static final String JOB_ID = "split_part(dedup_key, '|', 2)::bigint";

    private static long staged(long firstJobId, int count) {
        return jdbc.queryForObject("SELECT count(*) FROM staging.records_trace WHERE " + JOB_ID + " BETWEEN ? AND ?",
                Long.class, firstJobId, firstJobId + count - 1);
    }

    private static JsonNode ingestTotals() {
        HttpResponse<String> stats = collector.get(stack.ingestUrl() + "/api/v1/ingest/stats", LakehouseStack.VIEWER);
        assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
        return JSON.readTree(stats.body()).get("totals");
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor("lakehouse.dlq").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

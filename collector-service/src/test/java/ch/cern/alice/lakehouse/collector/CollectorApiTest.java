package ch.cern.alice.lakehouse.collector;

import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient;
import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient.Response;
import ch.cern.alice.lakehouse.collector.testsupport.SampleRecords;
import ch.cern.alice.lakehouse.collector.testsupport.TestSiteKeys;
import ch.cern.alice.lakehouse.collector.testsupport.TestUsers;
import ch.cern.alice.lakehouse.collector.testsupport.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector against a real embedded KRaft broker, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestSiteKeys.PROPERTY,
        TestUsers.PROPERTY,
        "collector.topic-partitions=3",
        "collector.kafka-ack-timeout=15s"})
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = {"auto.create.topics.enable=false"},
        // exists before the collector starts, with the broker's default max.message.bytes (1 MiB + 12 bytes)
        topics = "lakehouse.metrics")
@DirtiesContext
class CollectorApiTest {

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    CollectorClient client;

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        client = new CollectorClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Response readiness = client.get("/actuator/health/readiness");
        while (readiness.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            readiness = client.get("/actuator/health/readiness");
        }
        assertThat(readiness.status()).as("readiness: %s", readiness.body()).isEqualTo(200);
    }

    @Test
    void createsEveryDatasetTopicAndTheDeadLetterTopicAtStart() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> topics = admin.listTopics().names().get();
            assertThat(topics).contains("lakehouse.trace", "lakehouse.job_info", "lakehouse.jdl", "lakehouse.metrics",
                    "lakehouse.dlq");
            assertThat(admin.describeTopics(List.of("lakehouse.trace")).allTopicNames().get()
                    .get("lakehouse.trace").partitions()).hasSize(3);
            for (String topic : List.of("lakehouse.trace", "lakehouse.job_info", "lakehouse.jdl", "lakehouse.dlq",
                    "lakehouse.metrics")) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                String maxMessageBytes = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                        .get("max.message.bytes").value();
                assertThat(maxMessageBytes).as("max.message.bytes of %s (created, or raised when it existed)", topic)
                        .isEqualTo("1114112");
            }
        }
        JsonNode readiness = client.get("/actuator/health/readiness", TestUsers.ADMIN).json();
        assertThat(readiness.at("/components/kafka/status").asString()).isEqualTo("UP");
    }

    @Test
    void jsonArrayRecordsArriveOnTheDatasetTopicKeyedByDedupKeyInTheEnvelope() {
        long first = SampleRecords.nextJobId();
        long second = SampleRecords.nextJobId();
        Response response = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON,
                SampleRecords.jsonArray(List.of(SampleRecords.trace(first), SampleRecords.trace(second))));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(response.json().get("rejected").size()).isZero();

        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.trace",
                Set.of("CERN|" + first, "CERN|" + second)::contains, 2, Duration.ofSeconds(20));
        assertThat(onTopic).as("dedup key = site of the API key + key values").containsOnlyKeys("CERN|" + first,
                "CERN|" + second);

        JsonNode envelope = CollectorClient.json(onTopic.get("CERN|" + first).value());
        assertThat(envelope.propertyNames()).containsExactly("dataset", "site", "key", "receivedAt", "payload");
        assertThat(envelope.get("dataset").asString()).isEqualTo("trace");
        assertThat(envelope.get("site").asString()).as("site comes from the API key").isEqualTo("CERN");
        assertThat(envelope.get("key").asString()).isEqualTo("CERN|" + first);
        assertThat(envelope.get("receivedAt").asLong())
                .isBetween(System.currentTimeMillis() - 120_000, System.currentTimeMillis());
        JsonNode payload = envelope.get("payload");
        assertThat(payload.get("job_id").asLong()).isEqualTo(first);
        assertThat(payload.get("cputime").isNumber()).as("\"3512.25\" normalized to a number").isTrue();
        assertThat(payload.get("cputime").asDouble()).isEqualTo(3512.25);
        assertThat(payload.get("finaltimestamp").asLong()).isEqualTo(SampleRecords.FINAL_TS_MS);
        assertThat(payload.get("site").asString()).as("a record without site gets the key's site")
                .isEqualTo("CERN");
    }

    @Test
    void ndjsonAndGzipBodiesAreAccepted() {
        long ts = SampleRecords.FINAL_TS_MS;
        List<String> nodes = List.of("ndjson-node-1", "ndjson-node-2", "ndjson-node-3");
        String ndjson = SampleRecords.ndjson(nodes.stream().map(n -> SampleRecords.metric(n, ts, 1.5)).toList());
        Response plain = client.post("metrics", TestSiteKeys.FZK_KEY, CollectorClient.NDJSON, ndjson);
        assertThat(plain.status()).as(plain.body()).isEqualTo(202);
        assertThat(plain.json().get("accepted").asInt()).isEqualTo(3);

        List<String> gzNodes = List.of("gzip-node-1", "gzip-node-2");
        Response gzNdjson = client.post("metrics", TestSiteKeys.FZK_KEY, CollectorClient.NDJSON,
                SampleRecords.ndjson(List.of(SampleRecords.metric(gzNodes.get(0), ts, 2.0)))
                        .getBytes(StandardCharsets.UTF_8), true);
        assertThat(gzNdjson.status()).as(gzNdjson.body()).isEqualTo(202);
        Response gzArray = client.post("metrics", TestSiteKeys.FZK_KEY, CollectorClient.JSON,
                SampleRecords.jsonArray(List.of(SampleRecords.metric(gzNodes.get(1), ts, 3.0)))
                        .getBytes(StandardCharsets.UTF_8), true);
        assertThat(gzArray.status()).as(gzArray.body()).isEqualTo(202);
        assertThat(gzArray.json().get("accepted").asInt()).isEqualTo(1);

        Set<String> expectedKeys = new HashSet<>();
        for (String node : concat(nodes, gzNodes)) {
            expectedKeys.add("FZK|CERN|ALICE_CE|" + node + "|load1|" + ts);
        }
        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.metrics",
                expectedKeys::contains, expectedKeys.size(), Duration.ofSeconds(20));
        assertThat(onTopic.keySet()).isEqualTo(expectedKeys);
        JsonNode envelope = CollectorClient.json(onTopic.get("FZK|CERN|ALICE_CE|gzip-node-2|load1|" + ts).value());
        assertThat(envelope.get("site").asString()).isEqualTo("FZK");
        assertThat(envelope.at("/payload/value").asDouble()).isEqualTo(3.0);
    }

    @Test
    void mixedBatchAcceptsTheValidRecordsAndReportsEachInvalidOne() {
        long valid1 = SampleRecords.nextJobId();
        long missingTime = SampleRecords.nextJobId();
        long valid2 = SampleRecords.nextJobId();
        long badTypes = SampleRecords.nextJobId();
        String body = SampleRecords.jsonArray(List.of(
                SampleRecords.trace(valid1),
                "{\"job_id\":" + missingTime + ",\"cputime\":1.0}",
                SampleRecords.trace(valid2),
                "{\"job_id\":" + badTypes + ",\"finaltimestamp\":1780072000,\"walltime\":\"long\",\"colour\":\"red\"}"));

        Response response = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON, body);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode json = response.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        JsonNode rejected = json.get("rejected");
        assertThat(rejected.size()).isEqualTo(2);
        assertThat(rejected.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(fields(rejected.get(0))).containsExactly("finaltimestamp");
        assertThat(rejected.get(0).at("/errors/0/message").asString()).isEqualTo("is required");
        assertThat(rejected.get(1).get("index").asInt()).isEqualTo(3);
        assertThat(fields(rejected.get(1))).containsExactlyInAnyOrder("finaltimestamp", "walltime", "colour");
        assertThat(rejected.get(1).toString()).contains("looks like epoch seconds");

        Set<String> all = Set.of("CERN|" + valid1, "CERN|" + missingTime, "CERN|" + valid2, "CERN|" + badTypes);
        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.trace",
                all::contains, 2, Duration.ofSeconds(20));
        assertThat(onTopic).containsOnlyKeys("CERN|" + valid1, "CERN|" + valid2);
    }

    @Test
    void batchWithoutAnyValidRecordIs400WithTheSameBodyShapeAndPublishesNothing() {
        long before = TopicReader.size(bootstrap, "lakehouse.job_info");
        Response response = client.post("job_info", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON,
                "{\"job_id\":\"abc\",\"status\":\"DONE\",\"job_submit_timestamp\":1780072000}\n[1,2]\n\"text\"\n");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode json = response.json();
        assertThat(json.get("accepted").asInt()).isZero();
        assertThat(json.get("rejected").size()).isEqualTo(3);
        assertThat(json.at("/rejected/0/errors/0/field").asString()).isEqualTo("job_id");
        assertThat(json.at("/rejected/1/errors/0/message").asString()).contains("must be a JSON object");
        assertThat(json.at("/rejected/2/index").asInt()).isEqualTo(2);
        assertThat(TopicReader.size(bootstrap, "lakehouse.job_info")).isEqualTo(before);
    }

    @Test
    void missingOrUnknownKeyIs401AndKeyWithoutTheDatasetIs403() {
        String body = SampleRecords.jsonArray(List.of(SampleRecords.trace(SampleRecords.nextJobId())));
        Response noKey = client.post("trace", null, CollectorClient.JSON, body);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.json().get("detail").asString()).contains("X-Api-Key");

        Response unknownKey = client.post("trace", "not-a-configured-key", CollectorClient.JSON, body);
        assertThat(unknownKey.status()).isEqualTo(401);
        assertThat(unknownKey.json().get("detail").asString()).isEqualTo("unknown API key");

        Response hashItself = client.post("trace",
                "36ed3d2c6535cdd37a1d64221a98c65ac0d4ec46a53a23adc2515cdaad49fb0a", CollectorClient.JSON, body);
        assertThat(hashItself.status()).as("the stored hash is not a key").isEqualTo(401);

        Response forbidden = client.post("jdl", TestSiteKeys.FZK_KEY, CollectorClient.JSON, "[]");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("detail").asString()).contains("FZK").contains("jdl");
    }

    @Test
    void unknownDatasetIs404ListingTheKnownOnes() {
        Response response = client.post("traces", TestSiteKeys.CERN_KEY, CollectorClient.JSON, "[]");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asString()).contains("traces").contains("trace, job_info, jdl, metrics");
        assertThat(response.json().get("knownDatasets").toString()).contains("\"metrics\"");
    }

    @Test
    void malformedJsonIs400SayingWhere() {
        String array = "[\n" + SampleRecords.trace(SampleRecords.nextJobId()) + ",\n{\"job_id\": 12,, }\n]";
        Response inArray = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON, array);
        assertThat(inArray.status()).isEqualTo(400);
        assertThat(inArray.json().get("detail").asString()).contains("record index 1").contains("line 3");

        String lines = SampleRecords.trace(SampleRecords.nextJobId()) + "\n"
                + SampleRecords.trace(SampleRecords.nextJobId()) + "\n{\"job_id\": 5\n";
        Response inNdjson = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON, lines);
        assertThat(inNdjson.status()).isEqualTo(400);
        assertThat(inNdjson.json().get("detail").asString()).contains("record 2");

        Response notAnArray = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON,
                SampleRecords.trace(SampleRecords.nextJobId()));
        assertThat(notAnArray.status()).isEqualTo(400);
        assertThat(notAnArray.json().get("detail").asString()).contains("expected a JSON array");

        Response wrongType = client.post("trace", TestSiteKeys.CERN_KEY, "text/csv", "job_id\n1\n");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.json().get("detail").asString()).contains("application/x-ndjson");
    }

    @Test
    void statsCountAcceptedAndRejectedRecordsPerSiteAndDatasetAndAreExportedAsMetrics() {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(SampleRecords.trace(SampleRecords.nextJobId()));
        }
        records.add("{\"job_id\":1}");
        assertThat(client.post("trace", TestSiteKeys.STATS_KEY, CollectorClient.JSON,
                SampleRecords.jsonArray(records)).status()).isEqualTo(202);
        assertThat(client.post("job_info", TestSiteKeys.STATS_KEY, CollectorClient.JSON, "[{}]").status())
                .isEqualTo(400);

        JsonNode stats = client.stats();
        JsonNode trace = entry(stats, "STATS_SITE", "trace");
        assertThat(trace.get("accepted").asLong()).isEqualTo(5);
        assertThat(trace.get("rejected").asLong()).isEqualTo(1);
        JsonNode jobInfo = entry(stats, "STATS_SITE", "job_info");
        assertThat(jobInfo.get("accepted").asLong()).isZero();
        assertThat(jobInfo.get("rejected").asLong()).isEqualTo(1);
        assertThat(stats.at("/totals/accepted").asLong()).isGreaterThanOrEqualTo(5);

        String prometheus = client.get("/actuator/prometheus", TestUsers.METRICS).body();
        assertThat(prometheus).contains(
                "lakehouse_collector_records_total{dataset=\"trace\",outcome=\"accepted\",site=\"STATS_SITE\"} 5.0",
                "lakehouse_collector_records_total{dataset=\"trace\",outcome=\"rejected\",site=\"STATS_SITE\"} 1.0",
                "http_server_requests_seconds_count",
                "lakehouse_collector_kafka_ack_seconds_count");
    }

    @Test
    void aLargeGzippedNdjsonBatchArrivesCompletely() {
        int n = 20_000;
        long firstId = SampleRecords.nextJobId();
        List<String> records = new ArrayList<>(n);
        records.add(SampleRecords.trace(firstId));
        IntStream.range(1, n).forEach(i -> records.add(SampleRecords.trace(SampleRecords.nextJobId())));
        long lastId = firstId + n - 1;
        byte[] body = SampleRecords.ndjson(records).getBytes(StandardCharsets.UTF_8);

        Response response = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON, body, true);

        assertThat(response.status()).as(abbreviated(response.body())).isEqualTo(202);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(n);
        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.trace",
                key -> {
                    if (!key.startsWith("CERN|")) {
                        return false;
                    }
                    long id = Long.parseLong(key.substring("CERN|".length()));
                    return id >= firstId && id <= lastId;
                },
                n, Duration.ofSeconds(60));
        assertThat(onTopic).hasSize(n);
    }

    static String abbreviated(String body) {
        return body.length() <= 2_000 ? body : body.substring(0, 2_000) + "... (" + body.length() + " characters)";
    }

    private static JsonNode entry(JsonNode stats, String site, String dataset) {
        for (JsonNode e : stats.get("sites")) {
            if (e.get("site").asString().equals(site) && e.get("dataset").asString().equals(dataset)) {
                return e;
            }
        }
        throw new AssertionError("no stats for " + site + "/" + dataset + " in " + stats);
    }

    private static List<String> fields(JsonNode rejection) {
        List<String> names = new ArrayList<>();
        rejection.get("errors").forEach(e -> names.add(e.get("field").asString()));
        return names;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void describesItsApiInOpenApiWithoutAKey() {
        Response docs = client.get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/paths").propertyNames()).contains("/api/v1/datasets/{dataset}/records");
        // records are sent with a site key, the stats read with a user login: no global requirement
        assertThat(docs.json().has("security")).isFalse();
        assertThat(docs.json().at("/components/securitySchemes/siteKey/name").asString()).isEqualTo("X-Api-Key");
        assertThat(docs.json().at("/components/securitySchemes/basicAuth/scheme").asString()).isEqualTo("basic");
        assertThat(docs.json().at("/paths/~1api~1v1~1datasets~1{dataset}~1records/post/security/0").propertyNames())
                .containsExactly("siteKey");
        assertThat(docs.json().at("/paths/~1api~1v1~1stats/get/security/0").propertyNames())
                .containsExactly("basicAuth");
    }
}

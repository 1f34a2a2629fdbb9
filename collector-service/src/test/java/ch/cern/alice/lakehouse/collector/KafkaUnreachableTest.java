package ch.cern.alice.lakehouse.collector;

import ch.cern.alice.lakehouse.collector.intake.InflightLimiter;
import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient;
import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient.Response;
import ch.cern.alice.lakehouse.collector.testsupport.FreePort;
import ch.cern.alice.lakehouse.collector.testsupport.SampleRecords;
import ch.cern.alice.lakehouse.collector.testsupport.TestSiteKeys;
import ch.cern.alice.lakehouse.collector.testsupport.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka is down from the start (the bootstrap address is a port nobody listens on): valid records get 503 with
 * Retry-After and are never reported accepted. The same context checks the 413/429 limits, which trip before
 * Kafka is involved.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestSiteKeys.PROPERTY,
        TestUsers.PROPERTY,
        "collector.kafka-ack-timeout=1500ms",
        "collector.retry-after=7s",
        "collector.max-body-bytes=32KB",
        "collector.max-records=100",
        "collector.max-inflight-requests=1"})
@DirtiesContext
class KafkaUnreachableTest {

    @LocalServerPort
    int port;

    @Autowired
    InflightLimiter inflight;

    @DynamicPropertySource
    static void deadKafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + FreePort.find());
    }

    @Test
    void validRecordsGet503WithRetryAfterAndAreNotCountedAsAccepted() {
        CollectorClient client = new CollectorClient(port);
        String body = SampleRecords.jsonArray(List.of(SampleRecords.trace(SampleRecords.nextJobId()),
                SampleRecords.trace(SampleRecords.nextJobId()), "{\"job_id\":1}"));

        Response response = client.post("trace", TestSiteKeys.STATS_KEY, CollectorClient.JSON, body);

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("7");
        assertThat(response.json().get("detail").asString()).contains("Kafka").contains("send the whole batch again");
        assertThat(response.body()).doesNotContain("accepted\":");

        JsonNode stats = client.stats();
        JsonNode entry = null;
        for (JsonNode e : stats.get("sites")) {
            if (e.get("site").asString().equals("STATS_SITE")) {
                entry = e;
            }
        }
        assertThat(entry).as("stats of STATS_SITE in %s", stats).isNotNull();
        assertThat(entry.get("dataset").asString()).isEqualTo("trace");
        assertThat(entry.get("accepted").asLong()).isZero();
        assertThat(entry.get("unacknowledged").asLong()).isEqualTo(2);
        assertThat(stats.at("/totals/accepted").asLong()).isZero();
    }

    @Test
    void readinessIsDownWhileLivenessStaysUp() {
        CollectorClient client = new CollectorClient(port);
        Response readiness = client.get("/actuator/health/readiness", TestUsers.ADMIN);
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.json().at("/components/kafka/status").asString()).isEqualTo("DOWN");
        assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void requestBeyondTheInflightLimitGets429WithRetryAfter() throws Exception {
        CollectorClient client = new CollectorClient(port);
        String body = SampleRecords.jsonArray(List.of(SampleRecords.trace(SampleRecords.nextJobId())));
        // holds the only slot for the ack timeout, since Kafka never answers
        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(
                () -> client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON, body));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (inflight.inflight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(inflight.inflight()).isEqualTo(1);

        Response refused = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON, body);

        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("7");
        assertThat(slow.get().status()).isEqualTo(503);
    }

    @Test
    void bodiesOverTheByteLimitAre413() {
        CollectorClient client = new CollectorClient(port);
        String big = "[{\"job_id\":1,\"submit_timestamp\":1780072000,\"jdl_text\":\"" + "x".repeat(40_000) + "\"}]";
        assertThat(big.length()).isGreaterThan(32 * 1024);

        Response raw = client.post("jdl", TestSiteKeys.CERN_KEY, CollectorClient.JSON, big);
        assertThat(raw.status()).as(raw.body()).isEqualTo(413);
        assertThat(raw.json().get("detail").asString()).contains("32768 bytes");

        Response gzipped = client.post("jdl", TestSiteKeys.CERN_KEY, CollectorClient.JSON,
                big.getBytes(StandardCharsets.UTF_8), true);
        assertThat(gzipped.status()).as("counted after decompression").isEqualTo(413);
        assertThat(gzipped.json().get("detail").asString()).contains("decompressed");
    }

    @Test
    void gzipBombIsStoppedAt413() {
        CollectorClient client = new CollectorClient(port);
        byte[] bomb = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(bomb, (byte) ' ');
        bomb[0] = '[';
        byte[] compressed = CollectorClient.gzip(bomb);
        assertThat(compressed.length).isLessThan(32 * 1024);

        Response response = client.send(java.net.http.HttpRequest.newBuilder(
                        client.uri("/api/v1/datasets/trace/records"))
                .header("X-Api-Key", TestSiteKeys.CERN_KEY).header("Content-Type", CollectorClient.JSON)
                .header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(compressed)).build());

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("detail").asString()).contains("decompressed request body");
    }

    @Test
    void moreRecordsThanTheLimitAre413() {
        CollectorClient client = new CollectorClient(port);
        String body = "{}\n".repeat(101);
        Response response = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON, body);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("detail").asString()).contains("more than 100 records");

        Response atLimit = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON, "{}\n".repeat(100));
        assertThat(atLimit.status()).as("100 invalid records are within the limit").isEqualTo(400);
        assertThat(atLimit.json().get("rejected").size()).isEqualTo(100);
    }

    @Test
    void corruptGzipIs400() {
        CollectorClient client = new CollectorClient(port);
        Response response = client.send(java.net.http.HttpRequest.newBuilder(
                        client.uri("/api/v1/datasets/trace/records"))
                .header("X-Api-Key", TestSiteKeys.CERN_KEY).header("Content-Type", CollectorClient.JSON)
                .header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[{\"not\":\"gzip\"}]")).build());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("not valid gzip");
    }
}

package ch.cern.alice.lakehouse.collector;

import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient;
import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient.Response;
import ch.cern.alice.lakehouse.collector.testsupport.SampleRecords;
import ch.cern.alice.lakehouse.collector.testsupport.TestSiteKeys;
import ch.cern.alice.lakehouse.collector.testsupport.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker goes away while the collector runs: the request waits at most the ack timeout and gets 503, nothing of
 * it is reported accepted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestSiteKeys.PROPERTY,
        TestUsers.PROPERTY,
        "collector.kafka-ack-timeout=2s"})
@DirtiesContext
class KafkaStopsTest {

    static EmbeddedKafkaKraftBroker broker;
    static boolean brokerStopped;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        if (!brokerStopped) {
            broker.destroy();
        }
    }

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> broker.getBrokersAsString());
    }

    @Test
    void afterTheBrokerStopsRequestsGet503WithinTheAckTimeout() throws InterruptedException {
        CollectorClient client = new CollectorClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.get("/actuator/health/readiness").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String body = SampleRecords.jsonArray(List.of(SampleRecords.trace(SampleRecords.nextJobId())));
        Response before = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON, body);
        assertThat(before.status()).as(before.body()).isEqualTo(202);

        broker.destroy();
        brokerStopped = true;
        long start = System.nanoTime();
        Response after = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON,
                SampleRecords.jsonArray(List.of(SampleRecords.trace(SampleRecords.nextJobId()),
                        SampleRecords.trace(SampleRecords.nextJobId()))));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(after.status()).as(after.body()).isEqualTo(503);
        assertThat(after.header("Retry-After")).isEqualTo("5");
        // depending on whether the producer still trusts its cached metadata, the send itself times out or the
        // acknowledgement does; both within the 2 s ack timeout
        assertThat(after.json().get("detail").asString()).contains("Kafka did not").contains("2000 ms");
        assertThat(waited).as("bounded by the ack timeout, not by Kafka's own timeouts").isLessThan(Duration.ofSeconds(20));

        JsonNode stats = client.stats();
        assertThat(stats.at("/totals/accepted").asLong()).isEqualTo(1);
        assertThat(stats.at("/totals/unacknowledged").asLong()).isEqualTo(2);
    }
}

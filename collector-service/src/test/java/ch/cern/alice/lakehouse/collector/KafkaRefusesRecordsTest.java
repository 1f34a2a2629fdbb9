package ch.cern.alice.lakehouse.collector;

import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient;
import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient.Response;
import ch.cern.alice.lakehouse.collector.testsupport.SampleRecords;
import ch.cern.alice.lakehouse.collector.testsupport.TestSiteKeys;
import ch.cern.alice.lakehouse.collector.testsupport.TestUsers;
import ch.cern.alice.lakehouse.collector.testsupport.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka itself refuses records the collector's own limit lets through (a producer {@code max.request.size} and a
 * topic {@code max.message.bytes} set lower than the collector's record limit, as a misconfigured or older cluster
 * would have): each refused record is a per-record rejection in the 202, the rest of the batch is stored, and
 * sending the same request again gets the same answer - never a 503 that no resend can cure.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestSiteKeys.PROPERTY,
        TestUsers.PROPERTY,
        "collector.kafka-ack-timeout=15s",
        "spring.kafka.producer.properties.max.request.size=300000"})
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = {"auto.create.topics.enable=false"})
@DirtiesContext
class KafkaRefusesRecordsTest {

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    @Test
    void recordsKafkaRefusesForTheirSizeAreRejectedOneByOneAndTheBatchIsStored() throws Exception {
        CollectorClient client = new CollectorClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.get("/actuator/health/readiness").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        // the collector raised it to 1114112 at start; an operator (or an older cluster) lowers it again
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            ConfigResource jdl = new ConfigResource(ConfigResource.Type.TOPIC, "lakehouse.jdl");
            admin.incrementalAlterConfigs(Map.of(jdl, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "100000"), AlterConfigOp.OpType.SET)))).all().get();
        }
        long small1 = SampleRecords.nextJobId();
        long brokerRefuses = SampleRecords.nextJobId();
        long producerRefuses = SampleRecords.nextJobId();
        long small2 = SampleRecords.nextJobId();
        String overProducerLimit = SampleRecords.jdl(producerRefuses, SampleRecords.randomText(3, 400_000));
        String body = SampleRecords.ndjson(List.of(
                SampleRecords.jdl(small1, "Executable = \"aliroot\";"),
                SampleRecords.jdl(brokerRefuses, SampleRecords.randomText(4, 150_000)),  // > topic, < producer
                overProducerLimit,                                                      // > producer limit
                SampleRecords.jdl(small2, "Executable = \"o2\";"),
                overProducerLimit));                                                    // repeats record 2

        for (int attempt = 1; attempt <= 2; attempt++) {
            Response response = client.post("jdl", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON, body);

            assertThat(response.status()).as("attempt %d: %s", attempt, response.body()).isEqualTo(202);
            JsonNode json = response.json();
            assertThat(json.get("accepted").asInt()).isEqualTo(2);
            assertThat(json.get("duplicates").size()).isZero();
            JsonNode rejected = json.get("rejected");
            assertThat(rejected.size()).isEqualTo(3);
            assertThat(rejected.get(0).get("index").asInt()).isEqualTo(1);
            assertThat(rejected.get(0).at("/errors/0/message").asString())
                    .startsWith("not stored: Kafka refused the record (RecordTooLargeException");
            assertThat(rejected.get(1).get("index").asInt()).isEqualTo(2);
            assertThat(rejected.get(1).at("/errors/0/message").asString())
                    .contains("RecordTooLargeException").contains("max.request.size");
            assertThat(rejected.get(2).get("index").asInt()).isEqualTo(4);
            assertThat(rejected.get(2).at("/errors/0/message").asString())
                    .startsWith("repeats record 2, which was not stored");
        }

        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.jdl",
                Set.of("CERN|" + small1, "CERN|" + brokerRefuses, "CERN|" + producerRefuses, "CERN|" + small2)::contains,
                2, Duration.ofSeconds(20));
        assertThat(onTopic).containsOnlyKeys("CERN|" + small1, "CERN|" + small2);

        JsonNode stats = client.stats();
        assertThat(stats.at("/totals/accepted").asLong()).isEqualTo(4);
        assertThat(stats.at("/totals/rejected").asLong()).isEqualTo(6);
        assertThat(stats.at("/totals/unacknowledged").asLong()).isZero();
    }
}

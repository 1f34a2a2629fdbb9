package ch.cern.alice.lakehouse.collector;

import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient;
import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient.Response;
import ch.cern.alice.lakehouse.collector.testsupport.SampleRecords;
import ch.cern.alice.lakehouse.collector.testsupport.TestSiteKeys;
import ch.cern.alice.lakehouse.collector.testsupport.TestUsers;
import ch.cern.alice.lakehouse.collector.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record of a request ends in exactly one outcome of the 202 - accepted, rejected with a reason, or a
 * duplicate - and what is accepted is exactly what lands on Kafka: sites own their records (the key's site wins),
 * repeats within a request are published once, records over the size limit are rejected alone. Real embedded KRaft
 * broker with its default {@code message.max.bytes} (1 MiB + 12 bytes), real HTTP, default collector limits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestSiteKeys.PROPERTY,
        TestUsers.PROPERTY,
        "collector.topic-partitions=3",
        "collector.kafka-ack-timeout=15s"})
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = {"auto.create.topics.enable=false"})
@DirtiesContext
class RecordOutcomesTest {

    private static final int LIMIT = 1_048_576;

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    CollectorClient client;

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        client = new CollectorClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.get("/actuator/health/readiness").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void aKeyCannotWriteRecordsOfAnotherSiteWhileTheRestOfItsBatchIsAccepted() {
        long own = SampleRecords.nextJobId();
        long foreign = SampleRecords.nextJobId();
        long noSite = SampleRecords.nextJobId();
        Response response = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON,
                SampleRecords.jsonArray(List.of(SampleRecords.trace(own, "CERN"), SampleRecords.trace(foreign, "GSI"),
                        SampleRecords.trace(noSite))));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode json = response.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        assertThat(json.get("rejected").size()).isEqualTo(1);
        assertThat(json.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(json.at("/rejected/0/errors/0/field").asString()).isEqualTo("site");
        assertThat(json.at("/rejected/0/errors/0/message").asString()).contains("'CERN'").contains("'GSI'");
        assertThat(json.get("duplicates").size()).isZero();

        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.trace",
                key -> key.endsWith("|" + own) || key.endsWith("|" + foreign) || key.endsWith("|" + noSite), 2,
                Duration.ofSeconds(20));
        assertThat(onTopic).as("nothing of the GSI record under any key").containsOnlyKeys("CERN|" + own,
                "CERN|" + noSite);
        JsonNode filled = CollectorClient.json(onTopic.get("CERN|" + noSite).value());
        assertThat(filled.get("site").asString()).isEqualTo("CERN");
        assertThat(filled.at("/payload/site").asString()).as("absent site filled from the key").isEqualTo("CERN");
        assertThat(CollectorClient.json(onTopic.get("CERN|" + own).value()).at("/payload/site").asString())
                .isEqualTo("CERN");
    }

    @Test
    void theSameJobIdFromTwoSitesGivesTwoKeysSoNeitherCanReplaceTheOther() {
        long jobId = SampleRecords.nextJobId();
        Response fromFzk = client.post("trace", TestSiteKeys.FZK_KEY, CollectorClient.JSON,
                SampleRecords.jsonArray(List.of(SampleRecords.trace(jobId))));
        Response fromCern = client.post("trace", TestSiteKeys.CERN_KEY, CollectorClient.JSON,
                SampleRecords.jsonArray(List.of(SampleRecords.trace(jobId))));
        assertThat(fromFzk.status()).as(fromFzk.body()).isEqualTo(202);
        assertThat(fromCern.status()).as(fromCern.body()).isEqualTo(202);

        List<ConsumerRecord<String, String>> onTopic = TopicReader.readAll(bootstrap, "lakehouse.trace",
                key -> key.endsWith("|" + jobId), 2, Duration.ofSeconds(20));
        assertThat(onTopic).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("FZK|" + jobId,
                "CERN|" + jobId);
        for (ConsumerRecord<String, String> record : onTopic) {
            JsonNode envelope = CollectorClient.json(record.value());
            String site = record.key().substring(0, record.key().indexOf('|'));
            assertThat(envelope.get("key").asString()).isEqualTo(record.key());
            assertThat(envelope.get("site").asString()).isEqualTo(site);
            assertThat(envelope.at("/payload/site").asString()).isEqualTo(site);
        }
    }

    @Test
    void keyPartsHoldingTheSeparatorAreEscapedSoKeysCannotCollide() {
        long ts = SampleRecords.FINAL_TS_MS + 17;
        // ("a|b", "c") and ("a", "b|c") as (cluster, node)
        String first = "{\"farm\":\"CERN\",\"cluster\":\"a|b\",\"node\":\"c\",\"parameter\":\"load1\",\"value\":1.0,"
                + "\"timestamp\":" + ts + "}";
        String second = "{\"farm\":\"CERN\",\"cluster\":\"a\",\"node\":\"b|c\",\"parameter\":\"load1\",\"value\":2.0,"
                + "\"timestamp\":" + ts + "}";
        Response response = client.post("metrics", TestSiteKeys.FZK_KEY, CollectorClient.NDJSON,
                SampleRecords.ndjson(List.of(first, second)));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        Set<String> keys = Set.of("FZK|CERN|a\\|b|c|load1|" + ts, "FZK|CERN|a|b\\|c|load1|" + ts);
        assertThat(TopicReader.readKeys(bootstrap, "lakehouse.metrics", keys::contains, 2, Duration.ofSeconds(20)))
                .containsOnlyKeys(keys);
    }

    @Test
    void anExactRepeatIsReportedAsDuplicateAndPublishedOnceWhileUpdatesOfAKeyAreAllPublished() {
        long job = SampleRecords.nextJobId();
        long other = SampleRecords.nextJobId();
        long running = 1_780_000_100_000L;
        long done = 1_780_000_200_000L;
        long duplicatesBefore = client.stats().at("/totals/duplicates").asLong();
        String body = SampleRecords.ndjson(List.of(
                SampleRecords.jobInfo(job, "RUNNING", running, null),                                  // 0 accepted
                // 1: the same record, fields in another order and the site sent rather than filled in
                "{\"state_change_timestamp\":" + running + ",\"site\":\"CERN\",\"status\":\"RUNNING\","
                        + "\"job_submit_timestamp\":1780000000,\"user_name\":\"aliprod\",\"job_id\":" + job + "}",
                SampleRecords.jobInfo(other, "DONE", done, null),                                      // 2 accepted
                SampleRecords.jobInfo(job, "DONE", done, null),                        // 3 accepted: an update
                SampleRecords.jobInfo(job, "DONE", done, null),                        // 4 duplicate of 3
                SampleRecords.jobInfo(job, "RUNNING", running, null),   // 5 accepted: repeats 0, but 3 came between
                SampleRecords.jobInfo(other, "DONE", done, "GSI")));                   // 6 rejected: not CERN's

        Response response = client.post("job_info", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON, body);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode json = response.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(4);
        assertThat(json.get("rejected").size()).isEqualTo(1);
        assertThat(json.at("/rejected/0/index").asInt()).isEqualTo(6);
        assertThat(json.get("duplicates").toString())
                .isEqualTo("[{\"index\":1,\"duplicateOf\":0},{\"index\":4,\"duplicateOf\":3}]");
        assertThat(json.get("accepted").asInt() + json.get("rejected").size() + json.get("duplicates").size())
                .as("every record has exactly one outcome").isEqualTo(7);

        List<ConsumerRecord<String, String>> onTopic = TopicReader.readAll(bootstrap, "lakehouse.job_info",
                key -> key.equals("CERN|" + job) || key.equals("CERN|" + other), 4, Duration.ofSeconds(20));
        assertThat(onTopic).hasSize(4);
        List<String> statesOfJob = onTopic.stream().filter(r -> r.key().equals("CERN|" + job))
                .map(r -> CollectorClient.json(r.value()).at("/payload/status").asString()).toList();
        assertThat(statesOfJob).as("one partition per key, in body order").containsExactly("RUNNING", "DONE",
                "RUNNING");
        assertThat(onTopic.stream().filter(r -> r.key().equals("CERN|" + other))).hasSize(1);

        assertThat(client.stats().at("/totals/duplicates").asLong() - duplicatesBefore)
                .isEqualTo(2);
    }

    @Test
    void aTwoMebibyteJdlIsRejectedAloneAndTheOtherRecordsOfTheBatchAreStored() {
        long before = SampleRecords.nextJobId();
        long huge = SampleRecords.nextJobId();
        long after = SampleRecords.nextJobId();
        String body = SampleRecords.jsonArray(List.of(
                SampleRecords.jdl(before, "Executable = \"aliroot\";\nUser = \"aliprod\";"),
                SampleRecords.jdl(huge, "Executable = \"aliroot\";\nComment = \""
                        + SampleRecords.randomText(1, 2 * LIMIT) + "\";"),
                SampleRecords.jdl(after, "Executable = \"o2\";")));

        Response response = client.post("jdl", TestSiteKeys.CERN_KEY, CollectorClient.JSON, body);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode json = response.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        assertThat(json.get("rejected").size()).isEqualTo(1);
        assertThat(json.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(json.at("/rejected/0/errors/0/message").asString())
                .contains("over the limit of 1048576 bytes per record (COLLECTOR_MAX_RECORD_BYTES)")
                .contains("largest field is jdl_text");

        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.jdl",
                Set.of("CERN|" + before, "CERN|" + huge, "CERN|" + after)::contains, 2, Duration.ofSeconds(20));
        assertThat(onTopic).containsOnlyKeys("CERN|" + before, "CERN|" + after);
    }

    @Test
    void aRecordOfExactlyTheLimitArrivesWholeOnKafkaAndOneByteMoreIsRejected() {
        long atLimit = SampleRecords.nextJobId();
        long overLimit = SampleRecords.nextJobId();
        String text = SampleRecords.randomText(2, LIMIT - envelopeBytesWithoutText(atLimit));
        String textOneMore = text + "x";

        Response response = client.post("jdl", TestSiteKeys.CERN_KEY, CollectorClient.NDJSON,
                SampleRecords.ndjson(List.of(SampleRecords.jdl(atLimit, text), SampleRecords.jdl(overLimit,
                        textOneMore))));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode json = response.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(1);
        assertThat(json.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(json.at("/rejected/0/errors/0/message").asString()).startsWith("the record is 1048577 bytes");

        Map<String, ConsumerRecord<String, String>> onTopic = TopicReader.readKeys(bootstrap, "lakehouse.jdl",
                Set.of("CERN|" + atLimit, "CERN|" + overLimit)::contains, 1, Duration.ofSeconds(30));
        assertThat(onTopic).containsOnlyKeys("CERN|" + atLimit);
        ConsumerRecord<String, String> record = onTopic.get("CERN|" + atLimit);
        assertThat(record.key().getBytes(StandardCharsets.UTF_8).length
                + record.value().getBytes(StandardCharsets.UTF_8).length)
                .as("key + envelope: above the broker's default message.max.bytes, within the topic's")
                .isEqualTo(LIMIT);
        assertThat(CollectorClient.json(record.value()).at("/payload/jdl_text").asString()).isEqualTo(text);
    }

    /** Key + envelope of a JDL record of this test without its text (receivedAt has 13 digits until 2286). */
    private static int envelopeBytesWithoutText(long jobId) {
        String key = "CERN|" + jobId;
        String envelope = "{\"dataset\":\"jdl\",\"site\":\"CERN\",\"key\":\"" + key + "\",\"receivedAt\":"
                + "1780000000000,\"payload\":{\"job_id\":" + jobId + ",\"submit_timestamp\":1780000000,"
                + "\"jdl_text\":\"\"}}";
        return key.length() + envelope.length();
    }
}

package ch.cern.alice.lakehouse.collector.stats;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector's per-hour counts leave in one report per interval and are never lost on a failed send. */
class FiguresReporterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void reportsCountsPerHourSiteAndDatasetAndKeepsThemWhenKafkaRefuses() throws Exception {
        CollectorStats stats = new CollectorStats(new SimpleMeterRegistry());
        stats.recordOutcome("CERN", "trace", 8, 2, 1);
        stats.recordOutcome("CERN", "trace", 1, 0, 0);
        stats.recordUnacknowledged("GSI", "jdl", 5);

        MockProducer<String, byte[]> failing = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        FiguresReporter refused = new FiguresReporter(stats, failing, "lakehouse.collector-figures",
                Duration.ofHours(1), Duration.ofMillis(200));
        assertThat(refused.report()).as("not acknowledged in time").isFalse();

        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        FiguresReporter reporter = new FiguresReporter(stats, producer, "lakehouse.collector-figures",
                Duration.ofHours(1), Duration.ofSeconds(5));
        assertThat(reporter.report()).isTrue();
        assertThat(producer.history()).hasSize(1);
        JsonNode report = JSON.readTree(producer.history().get(0).value());
        assertThat(report.get("reportId").asString()).isEqualTo(producer.history().get(0).key());
        assertThat(report.get("entries")).hasSize(2);
        for (JsonNode e : report.get("entries")) {
            assertThat(Instant.parse(e.get("hour").asString()))
                    .isEqualTo(Instant.now().truncatedTo(ChronoUnit.HOURS));
            if (e.get("site").asString().equals("CERN")) {
                assertThat(e.get("dataset").asString()).isEqualTo("trace");
                assertThat(e.get("received").asLong()).isEqualTo(12);
                assertThat(e.get("accepted").asLong()).isEqualTo(9);
                assertThat(e.get("rejected").asLong()).isEqualTo(2);
                assertThat(e.get("duplicates").asLong()).isEqualTo(1);
            } else {
                assertThat(e.get("unacknowledged").asLong()).isEqualTo(5);
                assertThat(e.get("received").asLong()).isEqualTo(5);
            }
        }
        assertThat(reporter.report()).as("nothing new: nothing sent").isTrue();
        assertThat(producer.history()).hasSize(1);
        // the in-memory snapshot (since start) is unchanged by reporting
        assertThat(stats.snapshot().totals().accepted()).isEqualTo(9);
    }
}

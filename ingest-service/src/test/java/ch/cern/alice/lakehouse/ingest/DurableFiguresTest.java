package ch.cern.alice.lakehouse.ingest;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.testsupport.Envelopes;
import ch.cern.alice.lakehouse.ingest.testsupport.TestKafka;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable figures (issue #18) on a real KRaft broker and PostgreSQL: the collector's reports (sent here as the
 * collector sends them) are added once each, staging outcomes per site, dead letters; hour/day/total windows; and
 * all of it is the same after the service is replaced by a new one on the same database.
 */
class DurableFiguresTest {

    private static final String GROUP = "ingest-figures-it";
    private static final String FIGURES_TOPIC = "lakehouse.collector-figures";
    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();
    private static final String VIEWER = "Basic " + Base64.getEncoder()
            .encodeToString("vic:vic-pw".getBytes(StandardCharsets.UTF_8));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestPostgres postgres;
    private static TestKafka kafka;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void startStack() throws Exception {
        postgres = TestPostgres.start();
        kafka = new TestKafka(CATALOG);
        app = start();
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

    private static ConfigurableApplicationContext start() {
        return IngestApplication.application().run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrap(),
                "--spring.kafka.consumer.group-id=" + GROUP,
                "--spring.kafka.consumer.properties.metadata.max.age.ms=1000",
                "--ingest.topic-partitions=" + TestKafka.PARTITIONS,
                "--ingest.retry-initial-backoff=200ms",
                "--lakehouse.security.users=vic:{noop}vic-pw:viewer");
    }

    @Test
    void figuresPerSiteAndWindowSurviveARestart() throws Exception {
        Instant thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String report = """
                {"reportId": "report-1", "entries": [
                  {"hour": "%s", "site": "CERN", "dataset": "trace", "received": 10, "accepted": 8, "rejected": 2,
                   "duplicates": 0, "unacknowledged": 0},
                  {"hour": "%s", "site": "CERN", "dataset": "trace", "received": 4, "accepted": 4},
                  {"hour": "%s", "site": "GSI", "dataset": "jdl", "received": 7, "accepted": 6, "unacknowledged": 1}
                ]}""".formatted(thisHour, thisHour.minus(5, ChronoUnit.HOURS), thisHour.minus(3, ChronoUnit.DAYS));
        kafka.send(FIGURES_TOPIC, null, "report-1", TestKafka.utf8(report));
        kafka.send(FIGURES_TOPIC, null, "report-1", TestKafka.utf8(report)); // re-sent: added once
        kafka.send(FIGURES_TOPIC, null, "junk", TestKafka.utf8("{\"entries\": 5}")); // skipped
        kafka.send("lakehouse.trace", 0, "k1", Envelopes.trace(1801, "CERN"));
        kafka.send("lakehouse.trace", 0, "k2", Envelopes.trace(1802, "CERN"));
        kafka.send("lakehouse.trace", 1, "k3", Envelopes.trace(1803, "FZK"));
        kafka.send("lakehouse.trace", 2, "poison", TestKafka.utf8("<not json/>"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode totals = figures().get("totals");
            assertThat(totals.get("total").get("received").asLong()).isEqualTo(21);
            assertThat(totals.get("total").get("stagedNew").asLong()).isEqualTo(3);
            assertThat(totals.get("total").get("deadLetters").asLong()).isEqualTo(1);
        });
        // re-sent later (a later Kafka offset): replaces the staged row
        kafka.send("lakehouse.trace", 0, "k1", Envelopes.trace(1801, "CERN"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(figures().get("totals").get("total").get("stagedUpdated").asLong()).isEqualTo(1));
        JsonNode before = figures();
        assertDetails(before);

        app.close();
        app = start(); // a new service on the same database: nothing starts from zero
        JsonNode after = figures();
        assertThat(after.get("totals")).isEqualTo(before.get("totals"));
        assertThat(after.get("sites")).isEqualTo(before.get("sites"));
        assertDetails(after);
        JsonNode stats = JSON.readTree(get("/api/v1/ingest/stats").body());
        assertThat(stats.get("totals").get("rowsWritten").asLong()).isEqualTo(3);
        assertThat(stats.get("totals").get("rowsUpdated").asLong()).isEqualTo(1);
        assertThat(stats.get("totals").get("deadLetters").asLong()).isEqualTo(1);
        assertThat(Instant.parse(stats.get("countingSince").asString())).isBefore(Instant.now().minusSeconds(3600));
        assertThat(HTTP.send(HttpRequest.newBuilder(uri("/api/v1/ingest/figures")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    private static void assertDetails(JsonNode figures) {
        JsonNode trace = dataset(figures, "trace").get("windows");
        assertThat(trace.get("hour").get("received").asLong()).isEqualTo(10);
        assertThat(trace.get("hour").get("rejected").asLong()).isEqualTo(2);
        assertThat(trace.get("day").get("received").asLong()).isEqualTo(14);
        assertThat(trace.get("total").get("accepted").asLong()).isEqualTo(12);
        assertThat(trace.get("hour").get("stagedNew").asLong()).isEqualTo(3);
        assertThat(trace.get("hour").get("stagedUpdated").asLong()).isEqualTo(1);
        assertThat(trace.get("hour").get("deadLetters").asLong()).isEqualTo(1);
        JsonNode jdl = dataset(figures, "jdl").get("windows");
        assertThat(jdl.get("day").get("received").asLong()).as("three days ago: total only").isZero();
        assertThat(jdl.get("total").get("received").asLong()).isEqualTo(7);
        assertThat(jdl.get("total").get("unacknowledged").asLong()).isEqualTo(1);
        JsonNode cern = site(figures, "trace", "CERN").get("windows").get("total");
        assertThat(cern.get("stagedNew").asLong()).isEqualTo(2);
        assertThat(cern.get("stagedUpdated").asLong()).isEqualTo(1);
        assertThat(site(figures, "trace", "FZK").get("windows").get("total").get("stagedNew").asLong()).isEqualTo(1);
        assertThat(site(figures, "trace", "").get("windows").get("total").get("deadLetters").asLong())
                .as("a record that is not JSON names no site").isEqualTo(1);
    }

    private static JsonNode dataset(JsonNode figures, String name) {
        for (JsonNode d : figures.get("datasets")) {
            if (d.get("dataset").asString().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no " + name + " in " + figures);
    }

    private static JsonNode site(JsonNode figures, String dataset, String site) {
        for (JsonNode s : figures.get("sites")) {
            if (s.get("dataset").asString().equals(dataset) && s.get("site").asString().equals(site)) {
                return s;
            }
        }
        throw new AssertionError("no " + dataset + "/" + site + " in " + figures);
    }

    private static JsonNode figures() throws Exception {
        HttpResponse<String> response = get("/api/v1/ingest/figures");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", VIEWER).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path);
    }
}

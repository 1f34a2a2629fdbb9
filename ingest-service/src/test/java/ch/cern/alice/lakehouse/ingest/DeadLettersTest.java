package ch.cern.alice.lakehouse.ingest;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterMonitor;
import ch.cern.alice.lakehouse.ingest.testsupport.Envelopes;
import ch.cern.alice.lakehouse.ingest.testsupport.TestKafka;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters as admins see them, with the service running as in production on a real KRaft Kafka broker and a
 * real PostgreSQL: poison records are kept in ingest.dead_letters (offsets committed only after that), listed,
 * inspected, replayed with a corrected payload into staging, discarded; admin role only; gauges and stats. Each test
 * uses its own record keys; the metrics test has the jdl topic to itself, the outage test job_info.
 */
class DeadLettersTest {

    private static final String GROUP = "ingest-dead-letters-it";
    private static final String TRACE = "lakehouse.trace";
    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();
    private static final String USERS = "ada:{noop}ada-pw:admin;rita:{noop}rita-pw:researcher;vic:{noop}vic-pw:viewer;"
            + "mo:{noop}mo-pw:metrics";
    private static final String ADMIN = basic("ada", "ada-pw");
    private static final String VIEWER = basic("vic", "vic-pw");

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
        app = IngestApplication.application().run(
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
                "--ingest.dead-letters.metrics-interval=300ms",
                "--ingest.topic-partitions=" + TestKafka.PARTITIONS,
                "--lakehouse.security.users=" + USERS);
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

    @Test
    void poisonRecordsAreKeptWithTheirReasonAndCanBeListedFilteredAndInspected() throws Exception {
        long firstOffset = kafka.endOffsets(List.of(TRACE)).get(new TopicPartition(TRACE, 2));
        byte[] notJson = "<trace job=6001/>".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> invalid = payload(6002, "GSI");
        invalid.put("walltime", "forever");
        kafka.send(TRACE, 2, "dl-list-6001", notJson);
        kafka.send(TRACE, 2, "dl-list-6002", Envelopes.envelope("trace", "GSI", "6002", Envelopes.RECEIVED_AT,
                invalid));
        kafka.send(TRACE, 2, "dl-list-6003", Envelopes.envelope("trace", "GSI", "6003", Envelopes.RECEIVED_AT,
                payload(6003, "GSI")));

        await().atMost(Duration.ofSeconds(30)).until(() -> staged(6003).size() == 1);
        awaitAllCommitted();
        List<JsonNode> letters = listByKeyPrefix("dl-list-", "");
        assertThat(letters).extracting(l -> l.get("key").asString()).as("newest first")
                .containsExactly("dl-list-6002", "dl-list-6001");
        JsonNode invalidLetter = letters.get(0);
        assertThat(invalidLetter.get("reason").asString())
                .isEqualTo("payload fails validation: walltime: expected an integer, got string \"forever\"");
        assertThat(invalidLetter.get("dataset").asString()).isEqualTo("trace");
        assertThat(invalidLetter.get("site").asString()).isEqualTo("GSI");
        assertThat(invalidLetter.get("status").asString()).isEqualTo("PENDING");
        assertThat(invalidLetter.get("timesReplayed").asInt()).isZero();
        JsonNode notJsonLetter = letters.get(1);
        assertThat(notJsonLetter.get("reason").asString()).startsWith("not JSON: ");
        assertThat(notJsonLetter.get("site").isNull()).isTrue();
        assertThat(notJsonLetter.get("topic").asString()).isEqualTo(TRACE);
        assertThat(notJsonLetter.get("partition").asInt()).isEqualTo(2);
        assertThat(notJsonLetter.get("offset").asLong()).isEqualTo(firstOffset);

        JsonNode detail = json.readTree(get("/api/v1/ingest/dead-letters/" + notJsonLetter.get("id").asLong(), ADMIN)
                .body());
        assertThat(detail.get("envelope").asString()).isEqualTo("<trace job=6001/>");
        assertThat(detail.get("envelopeUtf8").asBoolean()).isTrue();
        assertThat(detail.get("envelopeBytes").asLong()).isEqualTo(notJson.length);
        assertThat(detail.get("offset").asLong()).isEqualTo(firstOffset);
        assertThat(Instant.parse(detail.get("firstSeen").asString())).isBefore(Instant.now());
        assertThat(Instant.parse(detail.get("kafkaTimestamp").asString())).isBefore(Instant.now());
        assertThat(detail.get("timesReplayed").asInt()).isZero();
        assertThat(detail.get("lastReplay").isNull()).isTrue();

        assertThat(listByKeyPrefix("dl-list-", "&reason=" + encode("WALLTIME: expected")))
                .extracting(l -> l.get("key").asString()).containsExactly("dl-list-6002");
        assertThat(listByKeyPrefix("dl-list-", "&site=gsi&dataset=trace"))
                .extracting(l -> l.get("key").asString()).containsExactly("dl-list-6002");
        assertThat(listByKeyPrefix("dl-list-", "&dataset=jdl")).isEmpty();
        assertThat(listByKeyPrefix("dl-list-", "&reason=" + encode("100%_sure"))).as("LIKE wildcards are literal")
                .isEmpty();
        JsonNode page = json.readTree(get("/api/v1/ingest/dead-letters?size=1&page=0&dataset=trace", ADMIN).body());
        assertThat(page.get("deadLetters")).hasSize(1);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(get("/api/v1/ingest/dead-letters?size=0", ADMIN).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/ingest/dead-letters?status=LOST", ADMIN).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/ingest/dead-letters/987654321", ADMIN).statusCode()).isEqualTo(404);

        // still on the DLQ topic for other consumers
        assertThat(kafka.readDeadLetters()).anyMatch(r -> "dl-list-6001".equals(
                new String(r.key(), StandardCharsets.UTF_8)));
    }

    @Test
    void replayWithACorrectedPayloadLandsInStagingAndMarksTheLetterReplayed() throws Exception {
        Map<String, Object> invalid = payload(7002, "SARA");
        invalid.put("walltime", "forever");
        kafka.send(TRACE, null, "dl-replay-7002", Envelopes.envelope("trace", "SARA", "7002", 1_717_000_555_000L,
                invalid));
        JsonNode letter = await().atMost(Duration.ofSeconds(30))
                .until(() -> listByKeyPrefix("dl-replay-", ""), l -> l.size() == 1).get(0);
        long id = letter.get("id").asLong();

        HttpResponse<String> original = post("/api/v1/ingest/dead-letters/" + id + "/replay", null, ADMIN);
        assertThat(original.statusCode()).as(original.body()).isEqualTo(400);
        JsonNode problem = json.readTree(original.body());
        assertThat(problem.get("detail").asString()).contains("original payload is still invalid",
                "walltime: expected an integer");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("walltime");

        Map<String, Object> otherSite = payload(7002, "SARA");
        otherSite.put("site", "CERN");
        HttpResponse<String> stolen = post("/api/v1/ingest/dead-letters/" + id + "/replay",
                Map.of("payload", otherSite), ADMIN);
        assertThat(stolen.statusCode()).as("the original site owns the record").isEqualTo(400);
        assertThat(json.readTree(stolen.body()).get("errors").get(0).get("field").asString()).isEqualTo("site");
        assertThat(json.readTree(get("/api/v1/ingest/dead-letters/" + id, ADMIN).body()).get("status").asString())
                .as("refused replays change nothing").isEqualTo("PENDING");

        Map<String, Object> corrected = payload(7002, "SARA");
        corrected.put("walltime", 4321);
        HttpResponse<String> replayed = post("/api/v1/ingest/dead-letters/" + id + "/replay",
                Map.of("payload", corrected), ADMIN);
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        JsonNode detail = json.readTree(replayed.body());
        assertThat(detail.get("status").asString()).isEqualTo("REPLAYED");
        assertThat(detail.get("timesReplayed").asInt()).isEqualTo(1);
        assertThat(detail.get("lastReplay").get("by").asString()).isEqualTo("ada");
        assertThat(detail.get("lastReplay").get("topic").asString()).isEqualTo(TRACE);
        assertThat(detail.get("lastReplay").get("offset").asLong()).isNotNegative();
        JsonNode published = json.readTree(detail.get("lastReplay").get("envelope").asString());
        assertThat(published.get("site").asString()).isEqualTo("SARA");
        assertThat(published.get("receivedAt").asLong()).as("the original receive time").isEqualTo(1_717_000_555_000L);

        List<Map<String, Object>> rows = await().atMost(Duration.ofSeconds(30)).until(() -> staged(7002),
                r -> r.size() == 1);
        assertThat(rows.get(0).get("site")).isEqualTo("SARA");
        JsonNode stagedPayload = json.readTree((String) rows.get(0).get("payload"));
        assertThat(stagedPayload.get("walltime").asInt()).isEqualTo(4321);
        assertThat(stagedPayload.get("site").asString()).isEqualTo("SARA");
        assertThat(((java.sql.Timestamp) rows.get(0).get("received_at")).toInstant().toEpochMilli())
                .isEqualTo(1_717_000_555_000L);

        JsonNode again = json.readTree(post("/api/v1/ingest/dead-letters/" + id + "/replay",
                Map.of("payload", corrected), ADMIN).body());
        assertThat(again.get("timesReplayed").asInt()).as("a replayed letter may be replayed again").isEqualTo(2);
        awaitAllCommitted();
        assertThat(staged(7002)).as("the same record again stages nothing new").hasSize(1);
        assertThat(listByKeyPrefix("dl-replay-", "&status=ALL")).as("the replay was no new dead letter").hasSize(1);
    }

    @Test
    void discardHidesTheLetterAndKeepsItForAudit() throws Exception {
        kafka.send(TRACE, null, "dl-discard-8001", "garbage".getBytes(StandardCharsets.UTF_8));
        JsonNode letter = await().atMost(Duration.ofSeconds(30))
                .until(() -> listByKeyPrefix("dl-discard-", ""), l -> l.size() == 1).get(0);
        long id = letter.get("id").asLong();

        HttpResponse<String> unreplayable = post("/api/v1/ingest/dead-letters/" + id + "/replay",
                Map.of("payload", payload(8001, "CERN")), ADMIN);
        assertThat(unreplayable.statusCode()).as("no site to replay it for").isEqualTo(409);
        assertThat(json.readTree(unreplayable.body()).get("detail").asString()).contains("names no site");

        HttpResponse<String> discarded = post("/api/v1/ingest/dead-letters/" + id + "/discard",
                Map.of("note", "test garbage from a broken client"), ADMIN);
        assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);
        JsonNode detail = json.readTree(discarded.body());
        assertThat(detail.get("status").asString()).isEqualTo("DISCARDED");
        assertThat(detail.get("discarded").get("by").asString()).isEqualTo("ada");
        assertThat(detail.get("discarded").get("note").asString()).isEqualTo("test garbage from a broken client");
        assertThat(detail.get("envelope").asString()).as("kept for audit").isEqualTo("garbage");

        assertThat(listByKeyPrefix("dl-discard-", "")).as("hidden by default").isEmpty();
        assertThat(listByKeyPrefix("dl-discard-", "&status=DISCARDED")).hasSize(1);
        assertThat(listByKeyPrefix("dl-discard-", "&status=pending,discarded")).hasSize(1);
        assertThat(post("/api/v1/ingest/dead-letters/" + id + "/discard", null, ADMIN).statusCode()).isEqualTo(409);
        assertThat(post("/api/v1/ingest/dead-letters/" + id + "/replay", null, ADMIN).statusCode()).isEqualTo(409);
        assertThat(post("/api/v1/ingest/dead-letters/987654321/discard", null, ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void resolvedLettersArePurgedAfterTheRetentionPendingOnesNever() throws Exception {
        kafka.send(TRACE, null, "dl-purge-1", "old garbage".getBytes(StandardCharsets.UTF_8));
        kafka.send(TRACE, null, "dl-purge-2", "older garbage".getBytes(StandardCharsets.UTF_8));
        List<JsonNode> letters = await().atMost(Duration.ofSeconds(30))
                .until(() -> listByKeyPrefix("dl-purge-", ""), l -> l.size() == 2);
        long discarded = letters.stream().filter(l -> l.get("key").asString().equals("dl-purge-1")).findFirst()
                .orElseThrow().get("id").asLong();
        long pending = letters.stream().filter(l -> l.get("key").asString().equals("dl-purge-2")).findFirst()
                .orElseThrow().get("id").asLong();
        assertThat(post("/api/v1/ingest/dead-letters/" + discarded + "/discard", null, ADMIN).statusCode())
                .isEqualTo(200);
        jdbc.update("UPDATE ingest.dead_letters SET resolved_at = now() - interval '31 days', "
                + "first_seen = now() - interval '400 days' WHERE id IN (?, ?)", discarded, pending);

        app.getBean(DeadLetterMonitor.class).purge();

        assertThat(get("/api/v1/ingest/dead-letters/" + discarded, ADMIN).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/ingest/dead-letters/" + pending, ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyAdminsMayListInspectReplayOrDiscard() throws Exception {
        String[] paths = {"/api/v1/ingest/dead-letters", "/api/v1/ingest/dead-letters/1"};
        for (String path : paths) {
            assertThat(get(path, null).statusCode()).as("no login: " + path).isEqualTo(401);
            assertThat(get(path, basic("ada", "wrong")).statusCode()).as("wrong password").isEqualTo(401);
            assertThat(get(path, basic("vic", "vic-pw")).statusCode()).as("viewer: " + path).isEqualTo(403);
            assertThat(get(path, basic("rita", "rita-pw")).statusCode()).as("researcher: " + path).isEqualTo(403);
        }
        for (String action : new String[] {"replay", "discard"}) {
            String path = "/api/v1/ingest/dead-letters/1/" + action;
            assertThat(post(path, null, null).statusCode()).as("no login: " + path).isEqualTo(401);
            assertThat(post(path, null, basic("rita", "rita-pw")).statusCode()).as("researcher: " + path)
                    .isEqualTo(403);
            assertThat(post(path, null, basic("vic", "vic-pw")).statusCode()).as("viewer: " + path).isEqualTo(403);
        }
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", basic("rita", "rita-pw")).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/prometheus", basic("mo", "mo-pw")).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/ingest/dead-letters", basic("mo", "mo-pw")).statusCode())
                .as("a scrape account sees no dead letters").isEqualTo(403);
    }

    @Test
    void statsNeedAViewerLoginAndAScrapeAccountDoesNotDo() throws Exception {
        String stats = "/api/v1/ingest/stats";
        assertThat(get(stats, null).statusCode()).as("no login").isEqualTo(401);
        assertThat(get(stats, basic("vic", "wrong")).statusCode()).as("wrong password").isEqualTo(401);
        HttpResponse<String> viewer = get(stats, VIEWER);
        assertThat(viewer.statusCode()).as("viewer").isEqualTo(200);
        assertThat(json.readTree(viewer.body()).get("datasets")).hasSize(CATALOG.names().size());
        assertThat(get(stats, basic("rita", "rita-pw")).statusCode()).as("researcher").isEqualTo(200);
        assertThat(get(stats, ADMIN).statusCode()).as("admin").isEqualTo(200);
        assertThat(get(stats, basic("mo", "mo-pw")).statusCode()).as("a scrape account reads metrics only")
                .isEqualTo(403);
    }

    @Test
    void gaugesAndStatsShowPendingCountAndAge() throws Exception {
        String jdl = "lakehouse.jdl";
        kafka.send(jdl, null, "dl-metrics-1", "not a jdl envelope".getBytes(StandardCharsets.UTF_8));
        kafka.send(jdl, null, "dl-metrics-2", "[]".getBytes(StandardCharsets.UTF_8));
        kafka.send(jdl, null, "dl-metrics-3", "{}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("lakehouse_ingest_dead_letters_pending", "jdl") == 3);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gauge("lakehouse_ingest_dead_letters_oldest_pending_age_seconds", "jdl") > 0.5);
        assertThat(gauge("lakehouse_ingest_dead_letters_pending", "metrics")).isZero();
        assertThat(gauge("lakehouse_ingest_dead_letters_oldest_pending_age_seconds", "metrics")).isZero();

        JsonNode stats = json.readTree(get("/api/v1/ingest/stats", VIEWER).body());
        JsonNode jdlStats = datasetStats(stats, "jdl");
        assertThat(jdlStats.get("deadLettersPending").asLong()).isEqualTo(3);
        assertThat(Instant.parse(jdlStats.get("oldestPendingDeadLetterAt").asString())).isBefore(Instant.now());
        assertThat(datasetStats(stats, "metrics").get("deadLettersPending").asLong()).isZero();
        assertThat(datasetStats(stats, "metrics").get("oldestPendingDeadLetterAt").isNull()).isTrue();
        assertThat(stats.get("totals").get("deadLettersPending").asLong()).isGreaterThanOrEqualTo(3);

        long id = listByKeyPrefix("dl-metrics-", "").get(0).get("id").asLong();
        post("/api/v1/ingest/dead-letters/" + id + "/discard", null, ADMIN);
        assertThat(gauge("lakehouse_ingest_dead_letters_pending", "jdl")).as("refreshed on discard").isEqualTo(2);
        assertThat(datasetStats(json.readTree(get("/api/v1/ingest/stats", VIEWER).body()), "jdl")
                .get("deadLettersPending").asLong()).isEqualTo(2);
    }

    @Test
    void whileTheDatabaseIsDownDeadLettersAreNotCommittedAndArriveAfterwards() throws Exception {
        awaitAllCommitted();
        Map<TopicPartition, Long> committedBefore = kafka.committed(GROUP);
        postgres.refuseConnections();
        try {
            kafka.send("lakehouse.job_info", 0, "dl-outage-1", "bad".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    json.readTree(get("/api/v1/ingest/stats", VIEWER).body()).get("staging").get("lastError")
                            .asString()).contains("dead-letter store unavailable"));
            assertThat(kafka.committed(GROUP).get(new TopicPartition("lakehouse.job_info", 0)))
                    .isEqualTo(committedBefore.get(new TopicPartition("lakehouse.job_info", 0)));
            assertThat(get("/api/v1/ingest/dead-letters", ADMIN).statusCode()).isEqualTo(503);
        } finally {
            postgres.allowConnections();
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> listByKeyPrefix("dl-outage-", "").size() == 1);
        awaitAllCommitted();
        assertThat(listByKeyPrefix("dl-outage-", "&status=ALL")).as("stored once").hasSize(1);
    }

    private static Map<String, Object> payload(long jobId, String site) {
        Map<String, Object> payload = Envelopes.tracePayload(jobId);
        payload.put("site", site);
        return payload;
    }

    private static JsonNode datasetStats(JsonNode stats, String dataset) {
        for (JsonNode d : stats.get("datasets")) {
            if (d.get("dataset").asString().equals(dataset)) {
                return d;
            }
        }
        throw new AssertionError("no stats for " + dataset + ": " + stats);
    }

    private static double gauge(String name, String dataset) throws Exception {
        String prometheus = get("/actuator/prometheus", basic("mo", "mo-pw")).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*dataset=\"" + dataset + "\"[^}]*} (\\S+)$")
                .matcher(prometheus);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static List<JsonNode> listByKeyPrefix(String prefix, String query) throws Exception {
        HttpResponse<String> response = get("/api/v1/ingest/dead-letters?size=500" + query, ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> letters = new ArrayList<>();
        for (JsonNode letter : json.readTree(response.body()).get("deadLetters")) {
            if (letter.get("key").asString("").startsWith(prefix)) {
                letters.add(letter);
            }
        }
        return letters;
    }

    private static List<Map<String, Object>> staged(long jobId) {
        return jdbc.queryForList("SELECT site, received_at, payload::text AS payload FROM staging.records "
                + "WHERE dataset = 'trace' AND payload::jsonb->>'job_id' = ?", Long.toString(jobId));
    }

    private static void awaitAllCommitted() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kafka.uncommitted(GROUP,
                CATALOG.topics())).as("end offsets of partitions not fully committed").isEmpty());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, Object body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path);
    }
}

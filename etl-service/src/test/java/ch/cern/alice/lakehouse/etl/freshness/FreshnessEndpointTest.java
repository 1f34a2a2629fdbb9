package ch.cern.alice.lakehouse.etl.freshness;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/etl/freshness} on a real PostgreSQL, no Spark: a migration is played by hand in the order a
 * run does it (staged rows, checkpoint, run recorded and watermark advanced, rows deleted). The newest row at main
 * is still known after its rows left staging; waiting rows older than the threshold make a dataset stale.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FreshnessEndpointTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static EmbeddedPostgres postgres;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StagingCheckpoints checkpoints;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/staging")
                .schemas("staging").table("flyway_staging_history").load().migrate();
        try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            for (String ds : new String[]{"trace", "job_info", "jdl", "metrics"}) {
                st.execute("CREATE TABLE staging.records_" + ds + " PARTITION OF staging.records FOR VALUES IN ('"
                        + ds + "')");
            }
        }
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("etl.s3.endpoint", () -> "http://127.0.0.1:9");
        registry.add("etl.schedule-cron", () -> "-");
        registry.add("etl.staged-rows-threshold", () -> "0");
        registry.add("etl.warm.enabled", () -> "false");
        registry.add("etl.freshness.stale-after", () -> "30m");
        registry.add("etl.freshness.cache", () -> "0s");
        registry.add("etl.freshness.checkpoint-interval", () -> "1h");
        registry.add("lakehouse.security.users", () -> "admin:{noop}admin-pw:admin;viewer:{noop}viewer-pw:viewer");
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void newestRowAtMainLastCommitWaitingRowsAndStaleness() throws Exception {
        Instant twoHoursAgo = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Instant newestMigrated = twoHoursAgo.plusSeconds(600);
        // trace: three rows migrated by a run, then deleted from staging
        stage("trace", "t1", twoHoursAgo);
        stage("trace", "t2", newestMigrated);
        stage("trace", "t3", twoHoursAgo.plusSeconds(60));
        checkpoints.take("trace");
        long maxId = jdbc.queryForObject("SELECT max(id) FROM staging.records_trace", Long.class);
        long runId = jdbc.queryForObject("INSERT INTO etl.runs (dataset, status, trigger, phase, started_at, "
                + "finished_at, rows_read, rows_written, watermark_from, watermark_to) VALUES ('trace', 'SUCCEEDED', "
                + "'API', 'DONE', now(), now(), 3, 3, 0, ?) RETURNING id", Long.class, maxId);
        jdbc.update("INSERT INTO etl.watermarks (dataset, committed_id, last_run_id) VALUES ('trace', ?, ?)", maxId,
                runId);
        jdbc.update("DELETE FROM staging.records_trace WHERE id <= ?", maxId);
        // then a fresh row arrives and waits (not stale)
        stage("trace", "t4", Instant.now());
        checkpoints.take("trace");
        // job_info: rows waiting for two hours, never migrated: stale
        stage("job_info", "j1", twoHoursAgo);
        stage("job_info", "j2", twoHoursAgo.plusSeconds(1));

        HttpResponse<String> response = get("/api/v1/etl/freshness", "viewer");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("staleAfterSeconds").asLong()).isEqualTo(1800);
        JsonNode trace = dataset(body, "trace");
        assertThat(Instant.parse(trace.get("newestRowAt").asString())).isEqualTo(newestMigrated);
        assertThat(trace.get("lastCommitAt").isNull()).isFalse();
        assertThat(trace.get("lastRunStatus").asString()).isEqualTo("SUCCEEDED");
        assertThat(trace.get("waitingRows").asLong()).isEqualTo(1);
        assertThat(trace.get("stale").asBoolean()).isFalse();
        assertThat(trace.get("rowsWritten").get("hour").asLong()).isEqualTo(3);
        assertThat(trace.get("rowsWritten").get("total").asLong()).isEqualTo(3);

        JsonNode jobInfo = dataset(body, "job_info");
        assertThat(jobInfo.get("newestRowAt").isNull()).isTrue();
        assertThat(jobInfo.get("lastCommitAt").isNull()).isTrue();
        assertThat(jobInfo.get("waitingRows").asLong()).isEqualTo(2);
        assertThat(Instant.parse(jobInfo.get("oldestWaitingAt").asString())).isEqualTo(twoHoursAgo);
        assertThat(jobInfo.get("stale").asBoolean()).isTrue();
        assertThat(jobInfo.get("staleReason").asString()).contains("2 rows waiting").contains("never committed");

        JsonNode jdl = dataset(body, "jdl");
        assertThat(jdl.get("waitingRows").asLong()).isZero();
        assertThat(jdl.get("stale").asBoolean()).isFalse();

        // old checkpoints below the watermark are pruned, the one telling main's newest row stays
        assertThat(jdbc.queryForObject("SELECT count(*) FROM etl.staging_checkpoints WHERE dataset = 'trace' "
                + "AND id_bound <= ?", Long.class, maxId)).isEqualTo(1);

        assertThat(get("/api/v1/etl/freshness", null).statusCode()).isEqualTo(401);
    }

    private static JsonNode dataset(JsonNode body, String name) {
        for (JsonNode d : body.get("datasets")) {
            if (d.get("dataset").asString().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no " + name + " in " + body);
    }

    private void stage(String dataset, String key, Instant receivedAt) {
        jdbc.update("INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) "
                + "VALUES (?, ?, 'CERN', ?, '{}')", dataset, key, Timestamp.from(receivedAt));
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

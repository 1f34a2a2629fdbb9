package ch.cern.alice.lakehouse.etl;

import ch.cern.alice.lakehouse.etl.run.StartupRecovery;
import ch.cern.alice.lakehouse.etl.spark.SparkJobLauncher;
import ch.cern.alice.lakehouse.etl.spark.WarmSparkApplication;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyConfig;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyProcess;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with real parts: zonky Postgres (staging schema from common), S3Proxy as its own process, and the
 * etl-jobs warm Spark application launched through SparkSubmit exactly as in production. Needs etl-jobs packaged.
 * Spark launches are kept few (each is ~10-30 s on 2 cores: one at the start, one after the kill -9 test); the tests
 * build on each other in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtlRunIntegrationTest {

    private static final long JUNE_2024 = 1_717_200_000_000L;
    private static final long JULY_2024 = 1_719_792_000_000L;
    private static final String BUCKET = "lake-test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedPostgres postgres;
    private static final String S3_ACCESS_KEY = "etl-test-access";
    private static final String S3_SECRET_KEY = "etl-test-secret";
    private static S3ProxyProcess s3;
    private static Path s3Data;
    private static Path work;
    /**
     * Stands in for query-gateway's catalog refresh, answering only after {@link #SLOW_REFRESH_MS}: a run must not
     * show SUCCEEDED before this call returned and its outcome is in the run's notifications.
     */
    private static HttpServer slowCatalog;
    private static final long SLOW_REFRESH_MS = 1500;
    private static final AtomicInteger refreshesAnswered = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StartupRecovery recovery;
    @Autowired
    WarmSparkApplication warm;
    /** Wall time of the service's first run, which paid the Spark application's warm-up. */
    private static long firstRunMs;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        work = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("etl-it-" + System.nanoTime()));
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/staging")
                .schemas("staging").table("flyway_staging_history").load().migrate();
        try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            for (String ds : new String[]{"trace", "job_info", "jdl", "metrics"}) {
                st.execute("CREATE TABLE staging.records_" + ds + " PARTITION OF staging.records FOR VALUES IN ('"
                        + ds + "')");
            }
        }
        Path s3Work = Files.createDirectories(work.resolve("s3"));
        s3Data = s3Work.resolve("data");
        s3 = S3ProxyProcess.start(Path.of(System.getProperty("etl.test.s3proxy-jar")),
                new S3ProxyConfig(s3Data, S3ProxyProcess.freeLoopbackPort(), S3_ACCESS_KEY, S3_SECRET_KEY), s3Work);
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("etl.s3.endpoint", s3::endpoint);
        registry.add("etl.s3.access-key", () -> S3_ACCESS_KEY);
        registry.add("etl.s3.secret-key", () -> S3_SECRET_KEY);
        registry.add("etl.s3.bucket", () -> BUCKET);
        registry.add("etl.jobs-home", () -> System.getProperty("etl.test.jobs-home"));
        registry.add("etl.log-dir", () -> work.resolve("logs").toString());
        registry.add("etl.spark-master", () -> "local[2]");
        registry.add("etl.spark-driver-memory", () -> "1g");
        // small batches on a busy 2-core machine: less JIT and fewer shuffle tasks, same code paths
        registry.add("etl.spark-java-opts", () -> "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        registry.add("etl.spark-conf", () -> "spark.sql.shuffle.partitions=2");
        registry.add("etl.schedule-cron", () -> "-");
        registry.add("etl.staged-rows-threshold", () -> "0");
        slowCatalog = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowCatalog.createContext("/api/v1/catalog/refresh", exchange -> {
            try {
                Thread.sleep(SLOW_REFRESH_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            refreshesAnswered.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        slowCatalog.start();
        registry.add("etl.callbacks.query-url", () -> "http://127.0.0.1:" + slowCatalog.getAddress().getPort());
        registry.add("lakehouse.security.users", () -> "admin:{noop}admin-pw:admin;viewer:{noop}viewer-pw:viewer;scraper:{noop}scraper-pw:metrics");
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (slowCatalog != null) {
            slowCatalog.stop(0);
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (work != null) {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void migratesStagedRowsToPartitionedDeltaAndReportsRejects() throws Exception {
        stageTrace(0, 600, JUNE_2024, "CERN");
        stageTrace(600, 1000, JULY_2024, "FZK");
        stage("trace", "bad-1", "{\"job_id\": 9000001, \"finaltimestamp\": 1717200000000, \"cputime\": \"lots\"}");
        stage("trace", "bad-2", "{\"job_id\": 9000002, \"cputime\": 12.5}");
        long maxId = maxStagedId();

        HttpResponse<String> accepted = post("/api/v1/etl/runs", "{\"dataset\":\"trace\"}", "admin");
        assertThat(accepted.statusCode()).isEqualTo(202);
        long runId = JSON.readTree(accepted.body()).get(0).get("id").asLong();
        HttpResponse<String> second = post("/api/v1/etl/runs", "{\"dataset\":\"trace\"}", "admin");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(second.body()).get("detail").asString()).contains("trace");

        JsonNode run = awaitRun(runId, r -> Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(r.get("status").asString()));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        // the end is the run's last write: the slow catalog refresh has answered and everything below is final
        assertThat(refreshesAnswered.get()).as("catalog refreshes answered when the run showed SUCCEEDED").isEqualTo(1);
        assertThat(run.get("rowsRead").asLong()).isEqualTo(1002);
        assertThat(run.get("rowsWritten").asLong()).isEqualTo(1000);
        assertThat(run.get("rowsRejected").asLong()).isEqualTo(2);
        assertThat(run.get("filesWritten").asLong()).isPositive();
        assertThat(run.get("deltaVersion").asLong()).isZero();
        assertThat(run.get("watermarkFrom").asLong()).isZero();
        assertThat(run.get("watermarkTo").asLong()).isEqualTo(maxId);
        assertThat(run.get("progressPercent").asInt()).isEqualTo(100);
        assertThat(run.get("requestedBy").asString()).isEqualTo("admin");
        assertThat(run.get("durationMs").asLong()).isPositive();
        firstRunMs = run.get("durationMs").asLong();
        assertThat(run.get("notifications").asString()).isEqualTo("catalog-refresh: ok; "
                + "versioning: skipped (LAKEHOUSE_VERSIONING_URL unset)");
        // where the run's time went, stored with it: etl-service's steps and the Spark application's phases
        String details = run.get("details").asString();
        JsonNode phases = JSON.readTree(details).get("phasesMs");
        for (String phase : List.of("queued", "claim", "submit", "spark", "spark.read+convert", "spark.merge",
                "spark.aggregates", "record", "staging-delete", "notify")) {
            assertThat(phases.has(phase)).as("phase %s in %s", phase, details).isTrue();
            assertThat(phases.get(phase).asLong()).as("phase %s in %s", phase, details).isNotNegative();
        }
        assertThat(phases.get("spark").asLong()).as(details).isGreaterThanOrEqualTo(phases.get("spark.merge").asLong()
                + phases.get("spark.read+convert").asLong());
        assertThat(JSON.readTree(details).get("totalMs").asLong()).as(details)
                .isGreaterThanOrEqualTo(phases.get("spark").asLong() + phases.get("notify").asLong())
                .isLessThanOrEqualTo(run.get("durationMs").asLong() + 1000);

        DeltaLog trace = DeltaLog.read(objectPath("trace"));
        assertThat(trace.rowCount()).isEqualTo(1000);
        assertThat(trace.partitionColumns()).containsExactly("year", "month");
        assertThat(trace.columnTypes()).containsEntry("job_id", "long").containsEntry("finaltimestamp", "timestamp")
                .containsEntry("walltime", "integer").containsEntry("_site", "string")
                .containsEntry("_received_at", "timestamp").containsEntry("_etl_run_id", "string");
        assertThat(objectPath("trace/year=2024/month=6")).isDirectory();
        assertThat(objectPath("trace/year=2024/month=7")).isDirectory();
        assertThat(DeltaLog.read(objectPath("_rejects/trace")).rowCount()).isEqualTo(2);
        assertThat(DeltaLog.read(objectPath("trace_daily_site")).rowCount()).isPositive();

        assertThat(stagedRows("trace")).isZero(); // migrated rows, rejects included (kept in _rejects), deleted
        JsonNode staging = staging("trace");
        assertThat(staging.get("committedWatermark").asLong()).isEqualTo(maxId);
        assertThat(staging.get("pendingRows").asLong()).isZero();
    }

    /**
     * A cancel ends the run in the warm application within seconds (its Spark job group is cancelled), the application
     * itself stays and serves the next run, which migrates the range exactly once.
     */
    @Test
    @Order(2)
    void cancelledRunEndsWithinSecondsTheApplicationServesTheNextRunWhichMigratesTheRangeExactlyOnce() throws Exception {
        stageTrace(0, 300, JUNE_2024, "CERN"); // already in Delta: must update, not add
        stageTrace(2000, 2100, JULY_2024, "FZK");
        long watermarkBefore = staging("trace").get("committedWatermark").asLong();

        long runId = JSON.readTree(post("/api/v1/etl/runs", "{\"dataset\":\"trace\"}", "admin").body())
                .get(0).get("id").asLong();
        awaitRun(runId, r -> !r.get("status").asString().equals("QUEUED") && Set.of("reading", "converted",
                "merging").contains(r.get("phase").asString()) || !r.get("status").asString().matches("QUEUED|RUNNING"));
        Long pid = jdbc.queryForObject("SELECT spark_pid FROM etl.runs WHERE id = ?", Long.class, runId);
        assertThat(pid).isNotNull().isEqualTo(warm.status().pid());

        HttpResponse<String> cancelled = delete("/api/v1/etl/runs/" + runId, "admin");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("status").asString()).isEqualTo("CANCELLED");
        Instant cancelDeadline = Instant.now().plus(Duration.ofSeconds(15));
        while (warm.status().runsInFlight() > 0) {
            assertThat(Instant.now()).as("the cancelled run still in the Spark application").isBefore(cancelDeadline);
            Thread.sleep(50);
        }
        assertThat(warm.status().pid()).as("the application confirmed the cancel and was not restarted").isEqualTo(pid);
        assertThat(warm.status().restarts()).isZero();
        assertThat(delete("/api/v1/etl/runs/" + runId, "admin").statusCode()).isEqualTo(409);
        assertThat(staging("trace").get("committedWatermark").asLong()).isEqualTo(watermarkBefore);
        assertThat(stagedRows("trace")).isEqualTo(400);

        JsonNode rerun = runToEnd("trace");
        assertThat(rerun.get("status").asString()).as(rerun.toString()).isEqualTo("SUCCEEDED");
        assertThat(rerun.get("rowsRead").asLong()).isEqualTo(400);
        assertThat(rerun.get("rowsWritten").asLong()).isEqualTo(400); // 300 updated + 100 inserted
        assertThat(rerun.get("rowsRejected").asLong()).isZero();
        assertThat(refreshesAnswered.get()).as("the cancelled run refreshed nothing, the re-run did").isEqualTo(2);
        assertThat(rerun.get("watermarkFrom").asLong()).isEqualTo(watermarkBefore);
        DeltaLog trace = DeltaLog.read(objectPath("trace"));
        assertThat(trace.rowCount()).isEqualTo(1100);
        assertThat(trace.version()).isEqualTo(rerun.get("deltaVersion").asLong());
        assertThat(stagedRows("trace")).isZero();
        assertThat(warm.status().pid()).as("the same application served the re-run").isEqualTo(pid);
    }

    @Test
    @Order(3)
    void runsLeftRunningByADeadServiceAreFailedOnStartAndTheDatasetIsFreeAgain() throws Exception {
        jdbc.update("INSERT INTO etl.runs (dataset, status, trigger, phase, started_at) "
                + "VALUES ('metrics', 'RUNNING', 'SCHEDULE', 'merging', now())");
        assertThat(post("/api/v1/etl/runs", "{\"dataset\":\"metrics\"}", "admin").statusCode()).isEqualTo(409);

        assertThat(recovery.recover()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT status || ': ' || error FROM etl.runs WHERE dataset = 'metrics'",
                String.class)).isEqualTo("FAILED: service restarted");

        // nothing staged for metrics: the run succeeds without launching Spark
        JsonNode run = runToEnd("metrics");
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("rowsRead").asLong()).isZero();
    }

    /**
     * A job a dead service left running is stopped - and seen gone - before its run is marked FAILED, so the next run
     * can never write next to it; a recorded pid that now belongs to another program is left alone.
     */
    @Test
    @Order(4)
    void aLeftOverJobIsKilledBeforeItsRunIsFailedAndAStrangerOnItsPidIsLeftAlone() throws Exception {
        long runId = jdbc.queryForObject("INSERT INTO etl.runs (dataset, status, trigger, phase, started_at) "
                + "VALUES ('metrics', 'RUNNING', 'SCHEDULE', 'merging', now()) RETURNING id", Long.class);
        Process job = sleeper(SparkJobLauncher.JOB_CLASS, "--dataset=metrics", "--run-id=" + runId);
        jdbc.update("UPDATE etl.runs SET spark_pid = ? WHERE id = ?", job.pid(), runId);
        long strangerRunId = jdbc.queryForObject("INSERT INTO etl.runs (dataset, status, trigger, phase, started_at) "
                + "VALUES ('jdl', 'RUNNING', 'SCHEDULE', 'merging', now()) RETURNING id", Long.class);
        Process stranger = sleeper("not-a-job", "--run-id=" + strangerRunId);
        jdbc.update("UPDATE etl.runs SET spark_pid = ? WHERE id = ?", stranger.pid(), strangerRunId);
        try {
            assertThat(recovery.recover()).isEqualTo(2);
            assertThat(job.isAlive()).as("the left-over job is gone when recovery returns").isFalse();
            assertThat(stranger.isAlive()).as("a pid reused by another program is not killed").isTrue();
            assertThat(jdbc.queryForObject("SELECT status FROM etl.runs WHERE id = ?", String.class, runId))
                    .isEqualTo("FAILED");
        } finally {
            job.destroyForcibly();
            stranger.destroyForcibly();
        }
    }

    /** A JVM that sleeps, with the given arguments on its command line (as a Spark job's would be). */
    private static Process sleeper(String... arguments) throws Exception {
        Path source = Files.createTempDirectory("sleeper").resolve("Sleeper.java");
        Files.writeString(source, "class Sleeper { public static void main(String[] a) throws Exception {"
                + " Thread.sleep(120_000); } }");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), source.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).start();
        Thread.sleep(300);
        assertThat(process.isAlive()).isTrue();
        return process;
    }

    /**
     * A run whose rows were migrated and whose watermark advanced (phase publishing) when the service died: it cannot
     * be cancelled, and on start its remaining steps are done again and it ends SUCCEEDED - never FAILED with a range
     * "to redo" that is already in Delta. SUCCEEDED is its last write: staging and notifications are final by then.
     */
    @Test
    @Order(5)
    void aRunLeftPublishingIsFinishedOnStartNotFailed() throws Exception {
        long from = staging("jdl").get("committedWatermark").asLong();
        stage("jdl", "jdl-1", "{\"job_id\": 1}");
        stage("jdl", "jdl-2", "{\"job_id\": 2}");
        long to = maxStagedId();
        long runId = jdbc.queryForObject("INSERT INTO etl.runs (dataset, status, trigger, phase, started_at, "
                + "rows_read, rows_written, rows_rejected, files_written, delta_version, watermark_from, watermark_to) "
                + "VALUES ('jdl', 'RUNNING', 'SCHEDULE', 'publishing', now(), 2, 2, 0, 1, 4, ?, ?) RETURNING id",
                Long.class, from, to);
        jdbc.update("INSERT INTO etl.watermarks (dataset, committed_id, last_run_id) VALUES ('jdl', ?, ?) "
                + "ON CONFLICT (dataset) DO UPDATE SET committed_id = excluded.committed_id, "
                + "last_run_id = excluded.last_run_id", to, runId);

        HttpResponse<String> cancel = delete("/api/v1/etl/runs/" + runId, "admin");
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(409);
        assertThat(JSON.readTree(cancel.body()).get("detail").asString()).contains("can no longer be cancelled");

        assertThat(recovery.recover()).isEqualTo(1);
        JsonNode run = awaitRun(runId, r -> !r.get("status").asString().matches("QUEUED|RUNNING"));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("phase").asString()).isEqualTo("done");
        assertThat(run.path("error").isNull() || run.path("error").isMissingNode()).as(run.toString()).isTrue();
        assertThat(run.get("notifications").asString()).contains("resumed after a service restart")
                .contains("catalog-refresh: ok")
                .contains("versioning: skipped (LAKEHOUSE_VERSIONING_URL unset)");
        assertThat(run.get("rowsWritten").asLong()).isEqualTo(2);
        assertThat(stagedRows("jdl")).isZero();
        assertThat(staging("jdl").get("committedWatermark").asLong()).isEqualTo(to);
    }

    @Test
    @Order(6)
    void apiChecksRolesAndInput() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(uri("/api/v1/etl/runs")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/etl/runs", "{\"dataset\":\"trace\"}", "viewer").statusCode()).isEqualTo(403);
        HttpResponse<String> list = get("/api/v1/etl/runs?dataset=trace&size=2", "viewer");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).get("runs")).hasSize(2);
        assertThat(JSON.readTree(list.body()).get("total").asLong()).isEqualTo(3);
        HttpResponse<String> unknown = post("/api/v1/etl/runs", "{\"dataset\":\"nope\"}", "admin");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("detail").asString()).contains("unknown dataset 'nope'");
        assertThat(get("/api/v1/etl/runs/999999", "viewer").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get("/api/v1/etl/staging", "viewer").body())).hasSize(4);
    }

    /**
     * Runs once the application is warm take a fraction of the first run's time (which paid the warm-up), all served
     * by the same Spark JVM; health shows the application ready with its pid.
     */
    @Test
    @Order(7)
    void warmRunsAreFasterThanTheFirstAndShareOneSparkJvm() throws Exception {
        long pid = warm.status().pid();
        List<Long> durations = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            stageTrace(3000 + batch * 300, 3300 + batch * 300, JULY_2024, "FZK");
            JsonNode run = runToEnd("trace");
            assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
            assertThat(run.get("rowsWritten").asLong()).isEqualTo(300);
            durations.add(run.get("durationMs").asLong());
        }
        assertThat(warm.status().pid()).isEqualTo(pid);
        // relative, not a timed threshold: the first run paid the application's start, class loading, JIT and
        // Delta's first table set-up (each run here also waits 1.5 s for the slow catalog stand-in)
        // (on a loaded 2-core machine with the C1-only JIT these tests use, warm 300-row runs took 7-11 s against a
        // first run of 15-18 s: a factor of 2 was not reliably met; bench/ measures the real figures)
        assertThat(durations).as("warm runs vs the first run (%d ms)", firstRunMs).allMatch(ms -> ms < firstRunMs);
        assertThat(Collections.min(durations) * 3).as("best warm run x3 vs x2 the first run (%d ms): %s", firstRunMs,
                durations).isLessThan(firstRunMs * 2);
        assertThat(DeltaLog.read(objectPath("trace")).rowCount()).isEqualTo(1700);

        JsonNode health = JSON.readTree(get("/actuator/health", "admin").body());
        JsonNode spark = health.path("components").path("sparkApplication");
        assertThat(spark.path("status").asString()).as(health.toString()).isEqualTo("UP");
        assertThat(spark.path("details").path("state").asString()).isEqualTo("ready");
        assertThat(spark.path("details").path("pid").asLong()).isEqualTo(pid);
        JsonNode api = JSON.readTree(get("/api/v1/etl/spark", "viewer").body());
        assertThat(api.path("state").asString()).isEqualTo("READY");
        assertThat(api.path("restarts").asInt()).isZero();

        // the application's state (pid, restarts, last failure) is for people and services with a login only
        HttpRequest anonymous = HttpRequest.newBuilder(uri("/api/v1/etl/spark")).timeout(Duration.ofSeconds(30)).GET().build();
        assertThat(http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpRequest wrongPassword = HttpRequest.newBuilder(uri("/api/v1/etl/spark")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "viewer:not-the-password".getBytes(StandardCharsets.UTF_8))).GET().build();
        assertThat(http.send(wrongPassword, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/etl/spark", "scraper").statusCode()).isEqualTo(403);
    }

    /**
     * kill -9 of the Spark application in the middle of a MERGE: the run fails with the reason, the supervisor starts
     * the application again, a new run (attempt 2) migrates the range, and Delta holds every row exactly once.
     */
    @Test
    @Order(8)
    void aKilledSparkApplicationIsRestartedAndItsRunRetriedWithoutLossOrDoubles() throws Exception {
        stageTrace(4000, 6000, JULY_2024, "FZK");
        stageTrace(3000, 3200, JULY_2024, "FZK"); // re-sent keys: updates, not new rows
        long pid = warm.status().pid();
        long runId = JSON.readTree(post("/api/v1/etl/runs", "{\"dataset\":\"trace\"}", "admin").body())
                .get(0).get("id").asLong();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            var r = jdbc.queryForMap("SELECT status, phase FROM etl.runs WHERE id = ?", runId);
            assertThat(r.get("status")).as("run %d ended before the kill", runId).isIn("QUEUED", "RUNNING");
            if ("merging".equals(r.get("phase"))) {
                break;
            }
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(10);
        }
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
        awaitDead(pid);

        JsonNode killed = awaitRun(runId, r -> !r.get("status").asString().matches("QUEUED|RUNNING"));
        assertThat(killed.get("status").asString()).as(killed.toString()).isEqualTo("FAILED");
        assertThat(killed.get("error").asString()).contains("Spark application (pid " + pid + ") ended")
                .contains("attempt 1 of 3: retried as a new run");
        // the retry is queued right after the failed run is marked FAILED (tens of ms later on a loaded machine)
        Instant retryDeadline = Instant.now().plusSeconds(10);
        Long retryId;
        while ((retryId = jdbc.queryForObject("SELECT max(id) FROM etl.runs WHERE dataset = 'trace' AND id > ?",
                Long.class, runId)) == null && Instant.now().isBefore(retryDeadline)) {
            Thread.sleep(50);
        }
        assertThat(retryId).as("the retry run").isNotNull();
        JsonNode retry = awaitRun(retryId, r -> !r.get("status").asString().matches("QUEUED|RUNNING"));
        assertThat(retry.get("status").asString()).as(retry.toString()).isEqualTo("SUCCEEDED");
        assertThat(retry.get("requestedBy").asString()).contains("attempt 2 of 3").contains("retry of run " + runId);
        assertThat(retry.get("watermarkFrom").asLong()).isEqualTo(killed.get("watermarkFrom").asLong());

        DeltaLog trace = DeltaLog.read(objectPath("trace"));
        assertThat(trace.rowCount()).as("1700 before + 2000 new, the 200 re-sent replaced").isEqualTo(3700);
        assertThat(stagedRows("trace")).isZero();
        WarmSparkApplication.Status status = warm.status();
        assertThat(status.state()).isEqualTo(WarmSparkApplication.State.READY);
        assertThat(status.pid()).isNotNull().isNotEqualTo(pid);
        assertThat(status.restarts()).isEqualTo(1);
        assertThat(status.lastError()).contains("pid " + pid);
    }

    // --- helpers ---

    private JsonNode runToEnd(String dataset) throws Exception {
        HttpResponse<String> accepted = post("/api/v1/etl/runs", "{\"dataset\":\"" + dataset + "\"}", "admin");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        long id = JSON.readTree(accepted.body()).get(0).get("id").asLong();
        return awaitRun(id, r -> !r.get("status").asString().matches("QUEUED|RUNNING"));
    }

    private JsonNode awaitRun(long id, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        JsonNode run = null;
        while (Instant.now().isBefore(deadline)) {
            run = JSON.readTree(get("/api/v1/etl/runs/" + id, "viewer").body());
            if (condition.test(run)) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not reach the expected state: " + run);
    }

    private static void awaitDead(long pid) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertThat(Instant.now()).as("Spark process " + pid + " still alive").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private JsonNode staging(String dataset) throws Exception {
        for (JsonNode s : JSON.readTree(get("/api/v1/etl/staging", "viewer").body())) {
            if (s.get("dataset").asString().equals(dataset)) {
                return s;
            }
        }
        throw new AssertionError("no staging entry for " + dataset);
    }

    private long stagedRows(String dataset) {
        return jdbc.queryForObject("SELECT count(*) FROM staging.records_" + dataset, Long.class);
    }

    private long maxStagedId() {
        return jdbc.queryForObject("SELECT max(id) FROM staging.records", Long.class);
    }

    private void stageTrace(int from, int to, long baseMillis, String site) {
        for (int i = from; i < to; i++) {
            stage("trace", String.valueOf(i), "{\"job_id\": " + i + ", \"finaltimestamp\": " + (baseMillis + i * 1000L)
                    + ", \"cputime\": 80.0, \"walltime\": 100, \"requestedcpus\": 1, \"cpuefficiency\": 80.0,"
                    + " \"maxrss\": " + (2000 + i) + ", \"site\": \"" + site + "\"}");
        }
    }

    private void stage(String dataset, String key, String payload) {
        jdbc.update("INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) "
                + "VALUES (?, ?, 'CERN', now(), ?::jsonb)", dataset, key, payload);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        return http.send(authorized(path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String user) throws Exception {
        return http.send(authorized(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path, String user) throws Exception {
        return http.send(authorized(path, user).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(String path, String user) {
        String credentials = user + ":" + user + "-pw";
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    /** Where an object key of the test bucket lives on S3Proxy's file system. */
    private static Path objectPath(String key) {
        return s3Data.resolve(BUCKET).resolve(key);
    }
}

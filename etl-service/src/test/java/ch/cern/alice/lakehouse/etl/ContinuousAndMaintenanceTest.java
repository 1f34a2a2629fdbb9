package ch.cern.alice.lakehouse.etl;

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

import java.io.IOException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14 items 2 and 3 with real parts: zonky Postgres, S3Proxy, the warm Spark application (local[2]), and a
 * stand-in for versioning-service's etl-commit and retention horizon (its own answer is tested in versioning-service).
 * Continuous mode is on with a 15 s minimum interval; the tests build on each other in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContinuousAndMaintenanceTest {

    private static final long JUNE_2024 = 1_717_200_000_000L;
    private static final long JULY_2024 = 1_719_792_000_000L;
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(15);
    private static final String BUCKET = "lake-maint";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedPostgres postgres;
    private static S3ProxyProcess s3;
    private static Path s3Data;
    private static Path work;
    private static HttpServer versioning;
    private static final List<String> etlCommits = new CopyOnWriteArrayList<>();
    private static final AtomicReference<String> horizon = new AtomicReference<>("[]");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ch.cern.alice.lakehouse.etl.maintenance.MaintenanceScheduler maintenance;
    @Autowired
    ch.cern.alice.lakehouse.etl.run.StartupRecovery recovery;

    private final HttpClient http = HttpClient.newHttpClient();
    private static long traceRowsBeforeOptimize;
    private static long versionBeforeOptimize;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        work = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("etl-maint-" + System.nanoTime()));
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
                new S3ProxyConfig(s3Data, S3ProxyProcess.freeLoopbackPort(), "maint-access", "maint-secret"), s3Work);
        versioning = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        versioning.createContext("/api/v1/versions/internal/etl-commit", exchange -> {
            etlCommits.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 201, "{}");
        });
        versioning.createContext("/api/v1/versions/retention/horizon", exchange ->
                respond(exchange, 200, horizon.get()));
        versioning.start();
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        // the context outlives the Postgres stopped in @AfterAll (it closes at the JVM's exit): its continuous trigger
        // then waited the pool's default 30 s for a connection, and surefire killed the fork after 30 s more
        registry.add("spring.datasource.hikari.connection-timeout", () -> "5000");
        registry.add("etl.s3.endpoint", s3::endpoint);
        registry.add("etl.s3.access-key", () -> "maint-access");
        registry.add("etl.s3.secret-key", () -> "maint-secret");
        registry.add("etl.s3.bucket", () -> BUCKET);
        registry.add("etl.jobs-home", () -> System.getProperty("etl.test.jobs-home"));
        registry.add("etl.log-dir", () -> work.resolve("logs").toString());
        registry.add("etl.spark-master", () -> "local[2]");
        registry.add("etl.spark-driver-memory", () -> "1g");
        registry.add("etl.spark-java-opts", () -> "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        registry.add("etl.spark-conf", () -> "spark.sql.shuffle.partitions=2");
        registry.add("etl.schedule-cron", () -> "-");
        registry.add("etl.staged-rows-threshold", () -> "0");
        registry.add("etl.max-concurrent-runs", () -> "2");
        registry.add("etl.continuous.enabled", () -> "true");
        registry.add("etl.continuous.min-interval", () -> "PT15S");
        registry.add("etl.continuous.poll-interval", () -> "PT0.2S");
        registry.add("etl.maintenance.optimize-min-files", () -> "2");
        registry.add("etl.maintenance.vacuum-retain-hours", () -> "0");
        registry.add("etl.maintenance.vacuum-allow-below-safety", () -> "true");
        registry.add("etl.maintenance.vacuum-margin", () -> "PT1S");
        registry.add("etl.callbacks.versioning-url", () -> "http://127.0.0.1:" + versioning.getAddress().getPort());
        registry.add("lakehouse.security.users", () -> "admin:{noop}admin-pw:admin;viewer:{noop}viewer-pw:viewer");
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (versioning != null) {
            versioning.stop(0);
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
    void continuousRunsStartSideBySideAndKeepTheMinimumInterval() throws Exception {
        // one statement: continuous mode sees both datasets' rows at once, and all of them
        jdbc.update("WITH jobs AS (INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) "
                + "SELECT 'job_info', 'j' || g, 'CERN', now(), jsonb_build_object('job_id', g, 'site', 'CERN', "
                + "'status', 'DONE', 'job_submit_timestamp', ? + g) FROM generate_series(0, 149) g RETURNING id) "
                + traceInsert(0, 200, JUNE_2024), JUNE_2024 / 1000);
        JsonNode trace1 = awaitEnded("trace", 1);
        JsonNode jobInfo1 = awaitEnded("job_info", 1);
        for (JsonNode run : List.of(trace1, jobInfo1)) {
            assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
            assertThat(run.get("trigger").asString()).isEqualTo("CONTINUOUS");
            assertThat(run.get("kind").asString()).isEqualTo("migrate");
            assertThat(run.get("requestedBy").asString()).isEqualTo("continuous");
        }
        assertThat(trace1.get("rowsWritten").asLong()).isEqualTo(200);
        assertThat(jobInfo1.get("rowsWritten").asLong()).isEqualTo(150);
        // the two datasets ran at the same time
        assertThat(instant(trace1, "startedAt")).isBefore(instant(jobInfo1, "finishedAt"));
        assertThat(instant(jobInfo1, "startedAt")).isBefore(instant(trace1, "finishedAt"));
        // each run pins its Delta version on main
        assertThat(etlCommits).anyMatch(c -> c.contains("\"trace\":0")).anyMatch(c -> c.contains("\"job_info\":0"));
        // ... and its summary tables' versions, as the job reported them and the run stored them (issue #18)
        JsonNode traceTables = etlCommitOf(trace1.get("id").asLong()).get("tables");
        assertThat(traceTables.get("trace").asLong()).isZero();
        assertThat(traceTables.get("trace_daily_site").asLong())
                .isEqualTo(DeltaLog.read(objectPath("trace_daily_site")).version());
        assertThat(trace1.get("tables")).isEqualTo(traceTables);
        assertThat(etlCommitOf(jobInfo1.get("id").asLong()).get("tables").get("job_info_daily_status").asLong())
                .isEqualTo(DeltaLog.read(objectPath("job_info_daily_status")).version());

        // new rows right after the run: the next run waits for the minimum interval after the previous start, then
        // starts without further delay
        jdbc.update("WITH june AS (" + traceInsert(200, 300, JUNE_2024) + " RETURNING id) "
                + traceInsert(300, 400, JULY_2024));
        JsonNode trace2 = awaitEnded("trace", 2);
        assertThat(trace2.get("status").asString()).as(trace2.toString()).isEqualTo("SUCCEEDED");
        assertThat(trace2.get("trigger").asString()).isEqualTo("CONTINUOUS");
        Instant earliest = instant(trace1, "startedAt").plus(MIN_INTERVAL);
        Instant created = instant(trace2, "createdAt");
        assertThat(created).as("queued no earlier than the minimum interval after the previous start")
                .isAfterOrEqualTo(earliest);
        Instant due = earliest.isAfter(instant(trace1, "finishedAt")) ? earliest : instant(trace1, "finishedAt");
        assertThat(created).as("queued as soon as it was due").isBefore(due.plusSeconds(5));
        assertThat(trace2.get("rowsWritten").asLong()).isEqualTo(200);
        // no staged rows, no run
        assertThat(runs("job_info")).hasSize(1);
        traceRowsBeforeOptimize = DeltaLog.read(objectPath("trace")).rowCount();
        assertThat(traceRowsBeforeOptimize).isEqualTo(400);
    }

    @Test
    @Order(2)
    void optimizeIsARunThatCompactsBusyPartitionsAndKeepsTheRows() throws Exception {
        assertThat(post("/api/v1/etl/maintenance", "{\"kind\":\"optimize\",\"dataset\":\"trace\"}", "viewer")
                .statusCode()).isEqualTo(403);
        assertThat(post("/api/v1/etl/maintenance", "{\"kind\":\"shrink\",\"dataset\":\"trace\"}", "admin")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/etl/maintenance", "{\"kind\":\"optimize\",\"dataset\":\"trace\","
                + "\"partitions\":[\"year=2024' OR 1=1\"]}", "admin").statusCode()).isEqualTo(400);
        DeltaLog before = DeltaLog.read(objectPath("trace"));
        versionBeforeOptimize = before.version();
        long juneFiles = before.liveFiles().stream().filter(f -> f.startsWith("year=2024/month=6/")).count();
        assertThat(juneFiles).as("two runs wrote June").isGreaterThanOrEqualTo(2);

        JsonNode run = runToEnd("{\"kind\":\"optimize\",\"dataset\":\"trace\"}");

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("kind").asString()).isEqualTo("optimize");
        assertThat(run.get("trigger").asString()).isEqualTo("API");
        JsonNode details = JSON.readTree(run.get("details").asString());
        assertThat(details.get("filesBefore").asLong()).isEqualTo(before.fileCount());
        assertThat(details.get("filesAfter").asLong()).isLessThan(details.get("filesBefore").asLong());
        assertThat(details.get("partitions").asString()).contains("year=2024/month=6");
        DeltaLog after = DeltaLog.read(objectPath("trace"));
        assertThat(after.version()).isGreaterThan(versionBeforeOptimize).isEqualTo(run.get("deltaVersion").asLong());
        assertThat(after.fileCount()).isEqualTo(details.get("filesAfter").asInt());
        assertThat(after.liveFiles().stream().filter(f -> f.startsWith("year=2024/month=6/")).count()).isOne();
        assertThat(after.rowCount()).isEqualTo(traceRowsBeforeOptimize);
        // the compacted version is committed on main like a run's
        assertThat(etlCommits).anyMatch(c -> c.contains("\"trace\":" + after.version()));
        assertThat(JSON.readTree(get("/api/v1/etl/runs?dataset=trace", "viewer").body()).get("runs").get(0)
                .get("kind").asString()).isEqualTo("optimize");
    }

    @Test
    @Order(3)
    void vacuumKeepsWhatTheHorizonPinsAndRemovesTheRest() throws Exception {
        List<String> pinnedFiles = DeltaLog.filesAt(objectPath("trace"), versionBeforeOptimize);
        assertThat(pinnedFiles).isNotEmpty();
        long onDisk = dataFilesOnDisk("trace");

        // a tag pins the version before the OPTIMIZE: the files it replaced must stay
        horizon.set("[{\"table\":\"trace\",\"currentVersion\":" + (versionBeforeOptimize + 1)
                + ",\"oldestPinnedVersion\":" + versionBeforeOptimize + ",\"keepRemovedSince\":\""
                + Instant.now().minusSeconds(60) + "\",\"minimumRetainHours\":1.0,\"unknownAge\":[]}]");
        JsonNode kept = runToEnd("{\"kind\":\"vacuum\",\"dataset\":\"trace\"}");
        assertThat(kept.get("status").asString()).as(kept.toString()).isEqualTo("SUCCEEDED");
        assertThat(kept.get("kind").asString()).isEqualTo("vacuum");
        JsonNode keptDetails = JSON.readTree(kept.get("details").asString());
        assertThat(keptDetails.get("retainHours").asDouble()).isGreaterThan(1.0);
        assertThat(keptDetails.get("filesRemoved").asLong()).isZero();
        assertThat(pinnedFiles).allMatch(f -> Files.exists(objectPath("trace").resolve(f)));
        assertThat(dataFilesOnDisk("trace")).isEqualTo(onDisk);

        // nothing pinned any more: the replaced files go, the current version's stay
        horizon.set("[{\"table\":\"trace\",\"currentVersion\":" + (versionBeforeOptimize + 1)
                + ",\"oldestPinnedVersion\":null,\"keepRemovedSince\":null,\"minimumRetainHours\":0,"
                + "\"unknownAge\":[]}]");
        JsonNode removed = runToEnd("{\"kind\":\"vacuum\",\"dataset\":\"trace\"}");
        assertThat(removed.get("status").asString()).as(removed.toString()).isEqualTo("SUCCEEDED");
        JsonNode removedDetails = JSON.readTree(removed.get("details").asString());
        assertThat(removedDetails.get("filesRemoved").asLong()).isPositive();
        assertThat(removedDetails.get("bytesRemoved").asLong()).isPositive();
        DeltaLog current = DeltaLog.read(objectPath("trace"));
        assertThat(current.liveFiles()).allMatch(f -> Files.exists(objectPath("trace").resolve(f)));
        assertThat(pinnedFiles).anyMatch(f -> !Files.exists(objectPath("trace").resolve(f)));
        assertThat(dataFilesOnDisk("trace")).isEqualTo(onDisk - removedDetails.get("filesRemoved").asLong());
        assertThat(current.rowCount()).isEqualTo(traceRowsBeforeOptimize);

        // a pinned version of unknown age: no VACUUM at all
        horizon.set("[{\"table\":\"trace\",\"minimumRetainHours\":0,\"unknownAge\":[0]}]");
        JsonNode refused = runToEnd("{\"kind\":\"vacuum\",\"dataset\":\"trace\"}");
        assertThat(refused.get("status").asString()).isEqualTo("FAILED");
        assertThat(refused.get("error").asString()).contains("cannot tell the age", "[0]");
    }

    @Test
    @Order(4)
    void optimizeIsQueuedOnceEnoughRunsPiledUp() throws Exception {
        // job_info: one migration so far, none after an OPTIMIZE; a second one reaches ETL_OPTIMIZE_MIN_FILES (2)
        assertThat(maintenance.optimizeWherePiledUp()).isEmpty();
        jdbc.update("INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) "
                + "SELECT 'job_info', 'j' || g, 'CERN', now(), jsonb_build_object('job_id', g, 'site', 'CERN', "
                + "'status', 'DONE', 'job_submit_timestamp', ? + g) FROM generate_series(150, 199) g",
                JUNE_2024 / 1000);
        JsonNode second = awaitEnded("job_info", 2);
        assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("SUCCEEDED");

        var queued = maintenance.optimizeWherePiledUp();
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).dataset()).isEqualTo("job_info");
        JsonNode run = awaitRun(queued.get(0).id(),
                r -> !r.get("status").asString().matches("QUEUED|RUNNING"));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("kind").asString()).isEqualTo("optimize");
        assertThat(run.get("trigger").asString()).isEqualTo("THRESHOLD");
        assertThat(DeltaLog.read(objectPath("job_info")).rowCount()).isEqualTo(200);
        // counted from the last OPTIMIZE again
        assertThat(maintenance.optimizeWherePiledUp()).isEmpty();
    }

    /**
     * A migration left in phase publishing by a service that died: the restarted service's commit pins the tables the
     * run recorded, summary tables included, not the dataset table alone (issue #18).
     */
    @Test
    @Order(5)
    void aRunFinishedAfterARestartCommitsTheTablesItRecorded() throws Exception {
        JsonNode trace2 = awaitEnded("trace", 2);
        String tables = trace2.get("tables").toString();
        assertThat(trace2.get("tables").has("trace_daily_site")).as(tables).isTrue();
        long from = jdbc.queryForObject("SELECT committed_id FROM etl.watermarks WHERE dataset = 'trace'", Long.class);
        long runId = jdbc.queryForObject("INSERT INTO etl.runs (dataset, status, trigger, phase, started_at, rows_read, "
                + "rows_written, rows_rejected, files_written, delta_version, watermark_from, watermark_to, "
                + "table_versions) VALUES ('trace', 'RUNNING', 'API', 'publishing', now(), 1, 1, 0, 1, ?, ?, ?, ?) "
                + "RETURNING id", Long.class, trace2.get("deltaVersion").asLong(), from, from + 1, tables);

        assertThat(recovery.recover()).isEqualTo(1);
        JsonNode run = awaitRun(runId, r -> !r.get("status").asString().matches("QUEUED|RUNNING"));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("notifications").asString()).contains("resumed after a service restart")
                .contains("versioning: ok");
        assertThat(etlCommitOf(runId).get("tables")).isEqualTo(trace2.get("tables"));
    }

    // --- helpers ---

    /** The body versioning's stand-in received for the etl-commit of a run. */
    private static JsonNode etlCommitOf(long runId) {
        return etlCommits.stream().map(JSON::readTree).filter(c -> c.get("runId").asLong() == runId).findFirst()
                .orElseThrow(() -> new AssertionError("no etl-commit of run " + runId + " in " + etlCommits));
    }

    private JsonNode runToEnd(String request) throws Exception {
        HttpResponse<String> accepted = post("/api/v1/etl/maintenance", request, "admin");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        long id = JSON.readTree(accepted.body()).get(0).get("id").asLong();
        return awaitRun(id, r -> !r.get("status").asString().matches("QUEUED|RUNNING"));
    }

    /** The n-th run of a dataset (1 = first), once it has ended. */
    private JsonNode awaitEnded(String dataset, int n) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(6));
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> list = runs(dataset);
            if (list.size() >= n && !list.get(n - 1).get("status").asString().matches("QUEUED|RUNNING")) {
                return list.get(n - 1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + n + " of " + dataset + " did not end: " + runs(dataset));
    }

    /** A dataset's runs, oldest first. */
    private List<JsonNode> runs(String dataset) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        JSON.readTree(get("/api/v1/etl/runs?dataset=" + dataset + "&size=100", "viewer").body()).get("runs")
                .forEach(list::add);
        java.util.Collections.reverse(list);
        return list;
    }

    private JsonNode awaitRun(long id, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(6));
        JsonNode run = null;
        while (Instant.now().isBefore(deadline)) {
            run = JSON.readTree(get("/api/v1/etl/runs/" + id, "viewer").body());
            if (condition.test(run)) {
                return run;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + id + " did not reach the expected state: " + run);
    }

    private static Instant instant(JsonNode run, String field) {
        return Instant.parse(run.get(field).asString());
    }

    /** An INSERT of trace rows with job ids [from, to), one second apart from baseMillis. */
    private static String traceInsert(int from, int to, long baseMillis) {
        return "INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) SELECT 'trace', g::text, "
                + "'CERN', now(), jsonb_build_object('job_id', g, 'finaltimestamp', " + baseMillis + "::bigint + g * 1000, "
                + "'cputime', 80.0, 'walltime', 100, 'requestedcpus', 1, 'cpuefficiency', 80.0, 'maxrss', 2000 + g, "
                + "'site', 'CERN') FROM generate_series(" + from + ", " + (to - 1) + ") g";
    }

    private long dataFilesOnDisk(String table) throws IOException {
        try (Stream<Path> files = Files.walk(objectPath(table))) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".parquet"))
                    .filter(f -> !f.toString().contains("_delta_log")).count();
        }
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        return http.send(authorized(path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String user) throws Exception {
        return http.send(authorized(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(String path, String user) {
        String credentials = user + ":" + user + "-pw";
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static Path objectPath(String key) {
        return s3Data.resolve(BUCKET).resolve(key);
    }
}

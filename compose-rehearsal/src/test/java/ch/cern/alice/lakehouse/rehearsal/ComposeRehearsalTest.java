package ch.cern.alice.lakehouse.rehearsal;

import ch.cern.alice.lakehouse.process.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.security.crypto.bcrypt.BCrypt;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml rehearsed on this host without a Docker engine ({@link RehearsalStack}): every service of ours
 * from its runnable jar with exactly its container's environment, started in depends_on order and healthy by its
 * own health check command; then the operator's first pipeline: a site POSTs records with its key from
 * .env.example, ingest stages them in Postgres, compose's admin starts an ETL run over etl-service's API, which
 * submits to the Spark standalone cluster (ETL_SPARK_MASTER=spark://spark-master:7077, client mode, compose's
 * ETL_SPARK_CONF) where a worker's executor JVM runs the tasks, and a researcher reads the rows through the web UI's
 * proxy of query-gateway at ref main. On the same stack: the operator guide's marked command blocks run as written
 * ({@link OperatorGuide}), and {@code kill -9} of etl-service during a run on the cluster leaves no second writer.
 *
 * <p>About four minutes on an idle 2-core machine (Postgres, Kafka, S3Proxy, Trino, a Spark master and worker, six
 * services); logs under {@code target/rehearsal/run-<pid>/logs}. What differs from compose is listed in
 * {@link RehearsalStack#OVERRIDES}. What it cannot prove: that the images build (deploy/build scripts have their own
 * test), file ownership in volumes, memory limits enforced by a kernel, container DNS, restart policies, MinIO's
 * per-user policies, and anything reachable only beyond 127.0.0.1. {@code -Drehearsal.env-file=<path>} rehearses
 * another .env (an operator's own) instead of .env.example; {@code -Drehearsal.jar-override.<service>=<jar>} a jar built
 * elsewhere instead of the installed one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeRehearsalTest {

    private static final String DATASET = "trace";
    private static final Path GUIDE = ComposeConfig.repoRoot().resolve("docs/operator-guide.md");
    private static final int RECORDS = 40;
    private static final Duration ETL_RUN = Duration.ofMinutes(10);
    private static final Set<String> RUN_ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    /** Enough rows that the killed run's Spark job reads and merges for a while. */
    private static final int KILLED_RUN_RECORDS = 3_000;
    private static final int KILL_ATTEMPTS = 3;
    /** Phases in which a run's Spark job reads staging or writes Delta (etl-jobs' EtlJob progress). */
    private static final Set<String> WORKING_PHASES =
            Set.of("reading", "converted", "writing rejects", "merging", "aggregating");

    private ComposeConfig config;
    private RehearsalStack stack;
    private Path runDir;
    private Exception stagingError;

    @BeforeAll
    void startTheComposedStack() throws Exception {
        assumeTrue(ComposeConfig.dockerComposeInstalled(),
                "docker-compose not installed (apt-get install docker-compose; .ci/run does)");
        Path work = Path.of(System.getProperty("rehearsal.work-dir", "target/rehearsal")).toAbsolutePath();
        deleteRunsOfEndedJvms(work);
        runDir = Files.createDirectories(work.resolve("run-" + ProcessHandle.current().pid()));
        config = ComposeConfig.resolve(ComposeConfig.repoRoot(), runDir);
        stack = RehearsalStack.start(config, runDir);
        RehearsalStack started = stack;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "rehearsal-stop"));
        RehearsalStack.OVERRIDES.forEach((what, why) -> System.out.println("rehearsal override: " + what + " -- " + why));
        System.out.println("rehearsal started: " + stack.timings());
        System.out.println("rehearsal ports: " + stack.loopback().ports());
    }

    @AfterAll
    void stopEverything() {
        if (stack != null) {
            stack.close();
            System.out.println("rehearsal timings: " + stack.timings());
        }
    }

    @Test
    @Order(1)
    void everyServiceIsHealthyByItsOwnHealthCheckCommand() {
        assertThat(stack.services().keySet()).containsExactlyInAnyOrderElementsOf(ComposeConfig.OUR_SERVICES);
        for (RehearsalStack.RunningService s : stack.services().values()) {
            RehearsalStack.HealthResult result = s.check();
            assertThat(result.exitCode()).as(s.container().name() + " " + s.healthcheck() + ": " + result.output())
                    .isZero();
            assertThat(result.output()).as(s.container().name()).contains("UP");
        }
    }

    @Test
    @Order(2)
    void aSitesRecordsReachTheWebUiThroughIngestAndAnEtlRunOnTheSparkCluster() throws Exception {
        long t0 = System.nanoTime();
        SiteKey site = siteKey(stack.service("collector-service").container().env().get("COLLECTOR_SITE_KEYS"));
        long firstJobId = 7_000_000_000L + Instant.now().getEpochSecond() % 1_000_000 * 100;

        // a site sends records with its key from .env.example
        Http collector = Http.apiKey(stack.service("collector-service").url(), site.key());
        Http.Response posted = collector.post("/api/v1/datasets/" + DATASET + "/records", traceRecords(site.site(), firstJobId));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
        assertThat(posted.json().get("accepted").asInt()).as(posted.toString()).isEqualTo(RECORDS);

        // ingest-service stages them in Postgres
        try {
            await("the records staged in Postgres", Duration.ofMinutes(2), () -> staged(site.site(), firstJobId),
                    n -> n == RECORDS);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (" + stagingError + "); POST was " + posted, e);
        }
        long staged = System.nanoTime();

        // compose's admin runs the ETL over etl-service's API; it submits to the standalone cluster
        Login admin = login(stack.service("etl-service").container().env().get("LAKEHOUSE_USERS"), "admin");
        Http etl = Http.basic(stack.service("etl-service").url(), admin.name(), admin.password());
        JsonNode run = runEtl(etl);
        assertThat(run.get("status").asString()).as(run + "\n" + etlRunLog(run.get("id").asLong()) + "\n"
                + ChildJvm.tail(stack.logDir().resolve("spark-worker.log"), 30)).isEqualTo("SUCCEEDED");
        // compose runs etl-service with ETL_CONTINUOUS_ENABLED: a continuous run may have taken the rows before the
        // admin's run, which then finds nothing new; the runs of the dataset together migrated them
        awaitNoActiveRun(etl);
        assertThat(staged(site.site(), firstJobId)).as("migrated rows leave staging").isZero();
        JsonNode runs = etl.get("/api/v1/etl/runs?dataset=" + DATASET + "&size=100").json();
        long written = 0;
        for (JsonNode r : runs.path("runs")) {
            written += "SUCCEEDED".equals(r.path("status").asString("")) ? r.path("rowsWritten").asLong(0) : 0;
        }
        assertThat(written).as("rows written by the dataset's successful runs: " + runs).isGreaterThanOrEqualTo(RECORDS);
        long etlDone = System.nanoTime();

        assertTheTasksRanInAWorkersExecutor(run.get("id").asLong());

        // a researcher reads them through the web UI's proxy of query-gateway, at ref main
        Login researcher = login(stack.service("web-ui").container().env().get("LAKEHOUSE_USERS"), "researcher");
        Http webUi = Http.basic(stack.service("web-ui").url(), researcher.name(), researcher.password());
        String sql = "SELECT count(*), min(site), max(site) FROM " + DATASET + " WHERE job_id BETWEEN " + firstJobId
                + " AND " + (firstJobId + RECORDS - 1);
        JsonNode result = await("the rows at ref main through the web UI", Duration.ofMinutes(3),
                () -> query(webUi, sql, "main"),
                q -> "FINISHED".equals(q.path("status").asString("")) && q.get("rows").get(0).get(0).asLong() == RECORDS);
        assertThat(result.get("rows").get(0).get(1).asString()).isEqualTo(site.site());
        assertThat(result.get("rows").get(0).get(2).asString()).isEqualTo(site.site());
        System.out.printf("rehearsal pipeline: staged %.1f s, ETL %.1f s, query %.1f s%n", (staged - t0) / 1e9,
                (etlDone - staged) / 1e9, (System.nanoTime() - etlDone) / 1e9);
    }

    /**
     * The operator guide's checks of a deployment, run as written ({@link OperatorGuide}: {@code docker compose exec}
     * and the published ports mapped to the rehearsal): health of the published services, Postgres ready over TCP,
     * an ETL run started with curl through the web UI that then succeeds, and the staging query as the superuser.
     * Every block the guide marks must be one this class runs, and each of these must be marked.
     */
    @Test
    @Order(3)
    void theOperatorGuidesChecksWorkAsWritten() throws Exception {
        Map<String, String> blocks = OperatorGuide.markedBlocks(GUIDE);
        assertThat(blocks.keySet()).as("blocks of %s marked <!-- rehearsal: id -->", GUIDE)
                .containsExactlyInAnyOrder("check-deployment", "backup-postgres");
        Login admin = login(stack.service("web-ui").container().env().get("LAKEHOUSE_USERS"), "admin");
        assertThat(admin.name()).as("the guide's commands log in as admin").isEqualTo("admin");
        Http etl = Http.basic(stack.service("etl-service").url(), admin.name(), admin.password());
        awaitNoActiveRun(etl);
        // nothing staged: no continuous run (ETL_CONTINUOUS_ENABLED in compose) takes the dataset while the block runs

        RehearsalStack.HealthResult result = OperatorGuide.run(blocks.get("check-deployment"), stack,
                runDir.resolve("compose-config.yml"), runDir.resolve("operator"),
                Map.of("ADMIN_PASSWORD", admin.password()), Duration.ofMinutes(2));
        String out = result.output();
        assertThat(result.exitCode()).as(out).isZero();
        assertThat(out.split("\"status\":\"UP\"", -1)).as("two health answers UP: " + out).hasSizeGreaterThanOrEqualTo(3);
        assertThat(out).as("pg_isready").contains("accepting connections");
        java.util.regex.Matcher started = java.util.regex.Pattern
                .compile("\\[\\{\"id\":(\\d+),\"dataset\":\"" + DATASET + "\"").matcher(out);
        assertThat(started.find()).as("the ETL run the curl started: " + out).isTrue();
        long runId = Long.parseLong(started.group(1));
        assertThat(out).as("the runs list names it").contains("\"id\":" + runId + ",");
        assertThat(out).as("the staging query (nothing staged: no line)").doesNotContain("ERROR");
        JsonNode run = await("ETL run " + runId + " started by the guide's curl", ETL_RUN,
                () -> etl.get("/api/v1/etl/runs/" + runId).json(), r -> RUN_ENDED.contains(r.path("status").asString("")));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    }

    /**
     * The guide's Postgres backup, run as written. It needs a pg_dump of the server's major version or newer on this
     * host (the postgres image has its own); with an older client (Debian 12 has 15) it is skipped, and the guide
     * says so.
     */
    @Test
    @Order(5)
    void theOperatorGuidesPostgresBackupWorksAsWritten() throws Exception {
        int client = pgDumpMajor();
        int server;
        try (Connection c = stack.postgres(); ResultSet rs = c.createStatement().executeQuery("SHOW server_version_num")) {
            rs.next();
            server = rs.getInt(1) / 10_000;
        }
        assumeTrue(client >= server, "pg_dump " + client + " on this host cannot dump Postgres " + server
                + " (the postgres image's own pg_dump can): the guide's backup line is not rehearsed here");
        Path work = runDir.resolve("operator-backup");
        RehearsalStack.HealthResult result = OperatorGuide.run(OperatorGuide.markedBlocks(GUIDE).get("backup-postgres"),
                stack, runDir.resolve("compose-config.yml"), work, Map.of(), Duration.ofMinutes(3));
        assertThat(result.exitCode()).as(result.output()).isZero();
        List<Path> dumps;
        try (Stream<Path> files = Files.list(work.resolve("backup"))) {
            dumps = files.filter(f -> f.getFileName().toString().endsWith(".dump")).toList();
        }
        assertThat(dumps).hasSize(1);
        RehearsalStack.HealthResult listing = RehearsalStack.run(List.of("pg_restore", "-l", dumps.get(0).toString()),
                Map.of("PATH", System.getenv("PATH")), Duration.ofMinutes(1));
        assertThat(listing.output()).as("the dump's table of contents").contains("TABLE etl runs")
                .contains("TABLE staging records").contains("TABLE DATA etl runs");
    }

    private static int pgDumpMajor() {
        RehearsalStack.HealthResult v = RehearsalStack.run(List.of("pg_dump", "--version"),
                Map.of("PATH", System.getenv("PATH")), Duration.ofSeconds(20));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\) (\\d+)").matcher(v.output());
        return v.exitCode() == 0 && m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Issue #17 item 4 on the cluster: {@code kill -9} of etl-service while a run's Spark job reads or writes. Whatever
     * it had started must be gone before the restarted service (same container environment; compose's
     * {@code restart: unless-stopped}) runs anything: no Spark driver JVM of this deployment without a living
     * etl-service above it, no application of the old driver still RUNNING on the master, none of its executors
     * alive. The restarted service recovers the run (FAILED and redone by the next run, or finished from its
     * publishing phase), and the lake holds every record exactly once, read through the web UI's proxy. Processes
     * are found by command line and the master's application list, not by a pid etl-service recorded: the check
     * holds whether etl-service starts a Spark JVM per run or keeps one long-lived application.
     */
    @Test
    @Order(4)
    void killMinus9OfEtlServiceDuringARunLeavesNoSecondWriterAndTheLakeExact() throws Exception {
        SiteKey site = siteKey(stack.service("collector-service").container().env().get("COLLECTOR_SITE_KEYS"));
        long firstJobId = 8_000_000_000L + Instant.now().getEpochSecond() % 1_000_000 * 10_000;
        Http collector = Http.apiKey(stack.service("collector-service").url(), site.key());
        Login admin = login(stack.service("etl-service").container().env().get("LAKEHOUSE_USERS"), "admin");
        Http etl = Http.basic(stack.service("etl-service").url(), admin.name(), admin.password());
        awaitNoActiveRun(etl);

        // a batch is staged and a run takes it: the admin's, or a continuous one (ETL_CONTINUOUS_ENABLED in compose);
        // the kill comes while that run's Spark job reads staging or writes Delta. A run that slipped through between
        // two polls ends the attempt; the next one sends another batch.
        int sent = 0;
        JsonNode working = null;
        for (int attempt = 0; attempt < KILL_ATTEMPTS && working == null; attempt++) {
            Http.Response posted = collector.post("/api/v1/datasets/" + DATASET + "/records",
                    traceRecords(site.site(), firstJobId + sent, KILLED_RUN_RECORDS));
            assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
            assertThat(posted.json().get("accepted").asInt()).as(posted.toString()).isEqualTo(KILLED_RUN_RECORDS);
            sent += KILLED_RUN_RECORDS;
            int expected = sent;
            await("the records staged in Postgres or taken by a run", Duration.ofMinutes(2),
                    () -> staged(site.site(), firstJobId, expected) + activeRuns(etl).size(), n -> n >= KILLED_RUN_RECORDS
                            || !activeRuns(etl).isEmpty());
            Http.Response accepted = etl.post("/api/v1/etl/runs", Map.of("dataset", DATASET));
            assertThat(accepted.status()).as(accepted.toString()).isIn(202, 409); // 409: a continuous run has it
            working = awaitFast("a run of " + DATASET + " reading or writing", ETL_RUN, () -> {
                List<JsonNode> active = activeRuns(etl);
                for (JsonNode r : active) {
                    if (WORKING_PHASES.contains(r.path("phase").asString(""))) {
                        return r;
                    }
                }
                return active.isEmpty() && staged(site.site(), firstJobId, expected) == 0
                        ? JSON_NULL : null; // nothing active, nothing staged: the run(s) slipped through
            }, r -> r != null);
            if (working == JSON_NULL) {
                System.out.println("rehearsal kill -9: attempt " + attempt + " missed the working phase; again");
                working = null;
            }
        }
        assertThat(working).as("no run caught reading or writing in %d attempts", KILL_ATTEMPTS).isNotNull();
        long runId = working.get("id").asLong();
        final int totalRecords = sent;
        long oldService = stack.service("etl-service").jvm().pid();
        List<ProcessTable.Proc> drivers = ProcessTable.sparkDrivers(stack.runDir());
        List<ProcessTable.Proc> notStartedByTheService = drivers.stream().filter(d -> !d.descendsFrom(oldService)).toList();
        JsonNode master = stack.sparkMasterJson();
        List<String> oldApps = new ArrayList<>();
        master.path("activeapps").forEach(a -> oldApps.add(a.path("id").asString()));
        stack.killHard("etl-service");
        Instant killedAt = Instant.now();

        assertThat(drivers).as("the Spark driver JVM(s) of etl-service during run %d", runId).isNotEmpty();
        assertThat(notStartedByTheService).as("Spark drivers during run %d not under etl-service", runId).isEmpty();
        assertThat(oldApps).as("applications on the master during run %d: %s", runId, master.path("activeapps"))
                .isNotEmpty();
        List<ProcessTable.Proc> executors = oldApps.stream().flatMap(a -> ProcessTable.executorsOf(a).stream()).toList();

        RehearsalStack.RunningService restarted = stack.restart("etl-service");
        // nothing new can have run before this point: recovery precedes the web server, the health check needs it
        List<ProcessTable.Proc> leftDrivers = drivers.stream().filter(d -> d.handle().isAlive()).toList();
        List<ProcessTable.Proc> orphans = ProcessTable.sparkDrivers(stack.runDir()).stream()
                .filter(d -> !d.descendsFrom(restarted.jvm().pid())).toList();
        List<ProcessTable.Proc> leftExecutors = executors.stream().filter(e -> e.handle().isAlive()).toList();
        JsonNode masterAfter = stack.sparkMasterJson();
        List<String> stillRunning = new ArrayList<>();
        masterAfter.path("activeapps").forEach(a -> {
            if (oldApps.contains(a.path("id").asString()) && !"FINISHED".equals(a.path("state").asString(""))) {
                stillRunning.add(a.toString());
            }
        });
        System.out.printf("rehearsal kill -9: run %d killed in phase %s; restarted etl-service healthy after %.1f s; "
                        + "drivers before %s, executors before %s, apps before %s%n", runId, working.path("phase").asString(),
                Duration.between(killedAt, Instant.now()).toMillis() / 1e3, drivers, executors, oldApps);
        try {
            assertThat(leftDrivers).as("Spark drivers of the killed etl-service still alive").isEmpty();
            assertThat(orphans).as("Spark drivers of this deployment not under the restarted etl-service").isEmpty();
            assertThat(stillRunning).as("the killed driver's applications still active on the master").isEmpty();
            assertThat(leftExecutors).as("executors of the killed driver's applications still alive").isEmpty();
        } finally {
            // never leave a second writer behind this test either
            leftDrivers.forEach(d -> d.handle().destroyForcibly());
            orphans.forEach(d -> d.handle().destroyForcibly());
        }

        // the restarted service has recovered the run: failed (its range redone next) or finished from publishing
        JsonNode recovered = await("run " + runId + " recovered", ETL_RUN, () -> etl.get("/api/v1/etl/runs/" + runId).json(),
                r -> RUN_ENDED.contains(r.path("status").asString("")));
        assertThat(recovered.get("status").asString()).as(recovered.toString()).isIn("FAILED", "SUCCEEDED");
        if (recovered.get("status").asString().equals("FAILED")) {
            assertThat(recovered.path("error").asString("")).as(recovered.toString()).contains("restarted");
        }
        JsonNode next = runEtl(etl);
        assertThat(next.get("status").asString()).as(next + "\n" + etlRunLog(next.get("id").asLong())).isEqualTo("SUCCEEDED");
        awaitNoActiveRun(etl); // a continuous run may follow the redo
        assertThat(staged(site.site(), firstJobId, totalRecords)).as("rows left in staging").isZero();

        Login researcher = login(stack.service("web-ui").container().env().get("LAKEHOUSE_USERS"), "researcher");
        Http webUi = Http.basic(stack.service("web-ui").url(), researcher.name(), researcher.password());
        String sql = "SELECT count(*), count(DISTINCT job_id) FROM " + DATASET + " WHERE job_id BETWEEN " + firstJobId
                + " AND " + (firstJobId + totalRecords - 1);
        JsonNode result = await("the rows at ref main through the web UI", Duration.ofMinutes(3),
                () -> query(webUi, sql, "main"), q -> "FINISHED".equals(q.path("status").asString("")));
        assertThat(result.get("rows").get(0).get(0).asLong()).as("rows of the batch in the lake: " + result)
                .isEqualTo(totalRecords);
        assertThat(result.get("rows").get(0).get(1).asLong()).as("distinct job ids: " + result)
                .isEqualTo(totalRecords);
    }

    private static final JsonNode JSON_NULL = Http.JSON.nullNode();

    /** The dataset's QUEUED or RUNNING runs (newest first). */
    private static List<JsonNode> activeRuns(Http etl) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : etl.get("/api/v1/etl/runs?dataset=" + DATASET).json().path("runs")) {
            if (Set.of("QUEUED", "RUNNING").contains(r.path("status").asString(""))) {
                out.add(r);
            }
        }
        return out;
    }

    private void awaitNoActiveRun(Http etl) {
        await("no ETL run active", ETL_RUN, () -> etl.get("/api/v1/etl/runs?dataset=" + DATASET).json(),
                page -> page.path("runs").findValues("status").stream()
                        .noneMatch(s -> Set.of("QUEUED", "RUNNING").contains(s.asString())));
    }

    /**
     * Client mode on a standalone cluster: the driver (in a Spark JVM etl-service started) has no task slots, the
     * worker launched an executor JVM for the application, and that executor connected back to the driver and wrote
     * the dataset's files. The application is found by its executors' logs, not by name: etl-service may start an
     * application per run (FINISHED after it) or keep one long-lived application (still RUNNING).
     */
    private void assertTheTasksRanInAWorkersExecutor(long runId) throws Exception {
        Pattern writes = Pattern.compile("writing to " + DATASET + "/year=\\d+/month=\\d+/part-\\S+\\.parquet");
        List<Path> stderrs = await("an executor log in the workers' work dirs " + stack.sparkWorkDirs() + " writing "
                + DATASET + "'s Parquet files (run " + runId + ")", Duration.ofMinutes(1),
                () -> executorLogsMatching(writes), l -> !l.isEmpty());
        Path stderrPath = stderrs.get(0);
        String appId = stderrPath.getParent().getParent().getFileName().toString(); // <work>/<app id>/<executor>/stderr
        JsonNode app = findAppById(stack.sparkMasterJson(), appId);
        assertThat(app).as("application " + appId + " on the master: " + stack.sparkMasterJson()).isNotNull();
        assertThat(app.get("state").asString()).as(app.toString()).isIn("FINISHED", "RUNNING");
        String stderr = new String(Files.readAllBytes(stderrPath), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stderr).as(stderrPath.toString())
                .contains("Spark Executor Command")
                .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
                .contains("--driver-url")
                .contains("spark://CoarseGrainedScheduler@" + Loopback.HOST + ":")
                .doesNotContain("ClassNotFoundException")
                .doesNotContain("NoClassDefFoundError");
        assertThat(stderr.substring(stderr.indexOf("--executor-id") + "--executor-id".length()).trim())
                .as("an executor, not the driver").doesNotStartWith("driver");
        // the executor wrote the table's data files itself (S3A names the object it writes when the Parquet writer
        // syncs): the tasks ran there, not in the driver
    }

    /** Executor logs ({@code <work>/<app id>/<executor id>/stderr}) of every worker that match. */
    private List<Path> executorLogsMatching(Pattern pattern) {
        List<Path> out = new ArrayList<>();
        for (Path work : stack.sparkWorkDirs()) {
            if (!Files.isDirectory(work)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(work)) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                    try {
                        if (pattern.matcher(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8))
                                .find()) {
                            out.add(f);
                        }
                    } catch (java.io.IOException e) {
                        // gone meanwhile
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // a log being created while walked: the next poll sees it
            }
        }
        return out;
    }

    private static JsonNode findAppById(JsonNode master, String id) {
        for (String list : List.of("completedapps", "activeapps")) {
            for (JsonNode app : master.path(list)) {
                if (id.equals(app.path("id").asString(""))) {
                    return app;
                }
            }
        }
        return null;
    }

    /** Triggers a run of the dataset; when the scheduled run (ETL_SCHEDULE_CRON) holds the dataset, waits and retries. */
    private JsonNode runEtl(Http etl) {
        for (int attempt = 0; ; attempt++) {
            Http.Response accepted = etl.post("/api/v1/etl/runs", Map.of("dataset", DATASET));
            if (accepted.status() == 409 && attempt < 3) {
                await("the running ETL run to end", ETL_RUN, () -> etl.get("/api/v1/etl/runs?dataset=" + DATASET).json(),
                        page -> page.path("runs").findValues("status").stream()
                                .noneMatch(s -> Set.of("QUEUED", "RUNNING").contains(s.asString())));
                continue;
            }
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
            long runId = accepted.json().get(0).get("id").asLong();
            return await("ETL run " + runId, ETL_RUN, () -> etl.get("/api/v1/etl/runs/" + runId).json(),
                    r -> RUN_ENDED.contains(r.path("status").asString("")));
        }
    }

    private String etlRunLog(long runId) {
        Path log = stack.service("etl-service").paths().entrySet().stream()
                .filter(e -> e.getKey().equals(stack.service("etl-service").container().env().get("ETL_LOG_DIR")))
                .map(Map.Entry::getValue).findFirst().orElse(runDir).resolve("run-" + runId + ".log");
        return ChildJvm.tail(log, 80);
    }

    private static JsonNode query(Http gateway, String sql, String ref) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sql", sql);
        body.put("ref", ref);
        Http.Response submitted = gateway.post("/api/v1/queries", body);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        return await("query " + id, Duration.ofMinutes(2), () -> gateway.get("/api/v1/queries/" + id).json(),
                q -> !Set.of("QUEUED", "RUNNING").contains(q.path("status").asString("")));
    }

    private long staged(String site, long firstJobId) {
        return staged(site, firstJobId, RECORDS);
    }

    private long staged(String site, long firstJobId, int count) {
        try (Connection c = stack.postgres(); PreparedStatement st = c.prepareStatement(
                "SELECT count(*) FROM staging.records WHERE dataset = ? AND site = ?"
                        + " AND (payload::jsonb->>'job_id')::bigint BETWEEN ? AND ?")) { // payload is TEXT since V2
            st.setString(1, DATASET);
            st.setString(2, site);
            st.setLong(3, firstJobId);
            st.setLong(4, firstJobId + count - 1);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            stagingError = e;
            return -1;
        }
    }

    private static List<Map<String, Object>> traceRecords(String site, long firstJobId) {
        return traceRecords(site, firstJobId, RECORDS);
    }

    private static List<Map<String, Object>> traceRecords(String site, long firstJobId, int count) {
        long end = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("job_id", firstJobId + i);
            r.put("finaltimestamp", end + i * 60_000L);
            r.put("site", site);
            r.put("cputime", 3000.0 + i);
            r.put("walltime", 3600 + i);
            r.put("requestedcpus", 1 + i % 8);
            r.put("maxrss", 1_500_000L + i);
            r.put("host", "wn" + i + ".grid.example.org");
            records.add(r);
        }
        return records;
    }

    // ---- what .env.example gives the services ---------------------------------------------------------------------

    record SiteKey(String site, String key) {
    }

    /** The first demo key ({plain}KEY) of COLLECTOR_SITE_KEYS that may send the dataset. */
    static SiteKey siteKey(String siteKeys) {
        for (String entry : siteKeys.split(";")) {
            String[] parts = entry.trim().split(":");
            if (parts.length >= 2 && parts[1].startsWith("{plain}")
                    && (parts.length < 3 || Set.of(parts[2].split("\\|")).stream().anyMatch(d -> d.equals("*") || d.equals(DATASET)))) {
                return new SiteKey(parts[0], parts[1].substring("{plain}".length()));
            }
        }
        throw new AssertionError("COLLECTOR_SITE_KEYS of .env.example has no {plain} key for " + DATASET + ": " + siteKeys);
    }

    record Login(String name, String password) {
    }

    /**
     * A login of LAKEHOUSE_USERS with the role: a {noop} password as written, or a {bcrypt} hash of .env.example's
     * documented placeholder password {@code change-me-<user name>} (checked against the hash).
     */
    static Login login(String users, String role) {
        for (String entry : users.split(";")) {
            int first = entry.indexOf(':');
            int last = entry.lastIndexOf(':');
            if (first < 0 || last <= first || !entry.substring(last + 1).trim().equals(role)) {
                continue;
            }
            String name = entry.substring(0, first).trim();
            String secret = entry.substring(first + 1, last);
            if (secret.startsWith("{noop}")) {
                return new Login(name, secret.substring("{noop}".length()));
            }
            String placeholder = "change-me-" + name;
            if (secret.startsWith("{bcrypt}") && BCrypt.checkpw(placeholder, secret.substring("{bcrypt}".length()))) {
                return new Login(name, placeholder);
            }
        }
        throw new AssertionError("LAKEHOUSE_USERS has no login with role " + role + " whose password the rehearsal "
                + "knows ({noop}, or {bcrypt} of change-me-<name>)");
    }

    private static <T> T await(String what, Duration timeout, Supplier<T> poll, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = poll.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
    }

    /** {@link #await} polling every 100 ms, to catch a short phase. */
    private static <T> T awaitFast(String what, Duration timeout, Supplier<T> poll, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = poll.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
    }

    private static void deleteRunsOfEndedJvms(Path work) throws Exception {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(work)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("run-\\d+")).toList()) {
                long pid = Long.parseLong(dir.getFileName().toString().substring(4));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                FileTrees.deleteRecursively(dir);
            }
        }
    }
}

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
 * proxy of query-gateway at ref main.
 *
 * <p>About two minutes on an idle 2-core machine (Postgres, Kafka, S3Proxy, Trino, a Spark master and worker, six
 * services); logs under {@code target/rehearsal/run-<pid>/logs}. What differs from compose is listed in
 * {@link RehearsalStack#OVERRIDES}. What it cannot prove: that the images build (deploy/build scripts have their own
 * test), file ownership in volumes, memory limits enforced by a kernel, container DNS, restart policies, MinIO's
 * per-user policies, and anything reachable only beyond 127.0.0.1. {@code -Drehearsal.env-file=<path>} rehearses
 * another .env (an operator's own) instead of .env.example.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeRehearsalTest {

    private static final String DATASET = "trace";
    private static final int RECORDS = 40;
    private static final Duration ETL_RUN = Duration.ofMinutes(10);
    private static final Set<String> RUN_ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

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
        assertThat(run.get("rowsWritten").asLong()).as(run.toString()).isGreaterThanOrEqualTo(RECORDS);
        assertThat(staged(site.site(), firstJobId)).as("migrated rows leave staging").isZero();
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
     * Client mode on a standalone cluster: the driver (in etl-service's Spark JVM) has no task slots, the worker
     * launched an executor JVM for the application, and that executor connected back to etl-service's driver.
     */
    private void assertTheTasksRanInAWorkersExecutor(long runId) throws Exception {
        String appName = "lakehouse-etl-" + DATASET + "-" + runId;
        JsonNode master = await("the application in the master's completed applications", Duration.ofMinutes(1),
                stack::sparkMasterJson, json -> findApp(json, appName) != null);
        JsonNode app = findApp(master, appName);
        assertThat(app.get("state").asString()).as(app.toString()).isEqualTo("FINISHED");
        String appId = app.get("id").asString();
        List<Path> stderrs = new ArrayList<>();
        for (Path work : stack.sparkWorkDirs()) {
            Path appDir = work.resolve(appId);
            if (Files.isDirectory(appDir)) {
                try (Stream<Path> files = Files.walk(appDir)) {
                    files.filter(p -> p.getFileName().toString().equals("stderr")).forEach(stderrs::add);
                }
            }
        }
        assertThat(stderrs).as("executor logs of " + appId + " in the workers' work dirs " + stack.sparkWorkDirs())
                .isNotEmpty();
        String stderr = Files.readString(stderrs.get(0));
        assertThat(stderr).as(stderrs.get(0).toString())
                .contains("Spark Executor Command")
                .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
                .contains("--driver-url")
                .contains("spark://CoarseGrainedScheduler@" + Loopback.HOST + ":")
                .doesNotContain("ClassNotFoundException")
                .doesNotContain("NoClassDefFoundError");
        assertThat(stderr.substring(stderr.indexOf("--executor-id") + "--executor-id".length()).trim())
                .as("an executor, not the driver").doesNotStartWith("driver");
        // the executor wrote the table's data files itself (S3A names the object it writes when the Parquet writer
        // syncs): the tasks ran there, not in the driver inside etl-service
        assertThat(stderr).as("the executor writing " + DATASET + "'s Parquet files").containsPattern(
                "writing to " + DATASET + "/year=\\d+/month=\\d+/part-\\S+\\.parquet");
    }

    private static JsonNode findApp(JsonNode master, String name) {
        for (String list : List.of("completedapps", "activeapps")) {
            for (JsonNode app : master.path(list)) {
                if (name.equals(app.path("name").asString(""))) {
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
        try (Connection c = stack.postgres(); PreparedStatement st = c.prepareStatement(
                "SELECT count(*) FROM staging.records WHERE dataset = ? AND site = ?"
                        + " AND (payload::jsonb->>'job_id')::bigint BETWEEN ? AND ?")) { // payload is TEXT since V2
            st.setString(1, DATASET);
            st.setString(2, site);
            st.setLong(3, firstJobId);
            st.setLong(4, firstJobId + RECORDS - 1);
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
        long end = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
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

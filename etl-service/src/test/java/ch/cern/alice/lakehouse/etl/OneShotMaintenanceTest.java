package ch.cern.alice.lakehouse.etl;

import ch.cern.alice.lakehouse.s3proxy.S3ProxyConfig;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyProcess;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maintenance runs without the warm application ({@code ETL_SPARK_WARM=false}): an OPTIMIZE run is a Spark JVM of its
 * own ({@code EtlJobMain --kind=optimize}) launched like a one-shot ETL run. Real parts: zonky Postgres, S3Proxy, the
 * etl-jobs classpath through SparkSubmit (local[2]); the table's small files come from a one-shot migration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OneShotMaintenanceTest {

    private static final long JUNE_2024 = 1_717_200_000_000L;
    private static final String JUNE = "year=2024/month=6/";
    private static final String BUCKET = "lake-oneshot";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The rest of a trace record's payload (jsonb_build_object arguments). */
    private static final String PAYLOAD_REST = "'cputime', 80.0, 'walltime', 100, 'requestedcpus', 1, "
            + "'cpuefficiency', 80.0, 'maxrss', 2000, 'site', 'CERN'";

    private static EmbeddedPostgres postgres;
    private static S3ProxyProcess s3;
    private static Path s3Data;
    private static Path work;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        work = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("etl-oneshot-" + System.nanoTime()));
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/staging")
                .schemas("staging").table("flyway_staging_history").load().migrate();
        try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE staging.records_trace PARTITION OF staging.records FOR VALUES IN ('trace')");
        }
        Path s3Work = Files.createDirectories(work.resolve("s3"));
        s3Data = s3Work.resolve("data");
        s3 = S3ProxyProcess.start(Path.of(System.getProperty("etl.test.s3proxy-jar")),
                new S3ProxyConfig(s3Data, S3ProxyProcess.freeLoopbackPort(), "oneshot-access", "oneshot-secret"),
                s3Work);
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("etl.s3.endpoint", s3::endpoint);
        registry.add("etl.s3.access-key", () -> "oneshot-access");
        registry.add("etl.s3.secret-key", () -> "oneshot-secret");
        registry.add("etl.s3.bucket", () -> BUCKET);
        registry.add("etl.jobs-home", () -> System.getProperty("etl.test.jobs-home"));
        registry.add("etl.log-dir", () -> work.resolve("logs").toString());
        registry.add("etl.warm.enabled", () -> "false");
        registry.add("etl.spark-master", () -> "local[2]");
        registry.add("etl.spark-driver-memory", () -> "1g");
        registry.add("etl.spark-java-opts", () -> "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        registry.add("etl.spark-conf", () -> "spark.sql.shuffle.partitions=2");
        registry.add("etl.schedule-cron", () -> "-");
        registry.add("etl.staged-rows-threshold", () -> "0");
        registry.add("etl.maintenance.optimize-min-files", () -> "2");
        registry.add("lakehouse.security.users", () -> "admin:{noop}admin-pw:admin;viewer:{noop}viewer-pw:viewer");
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
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
    void optimizeRunsInASparkJvmOfItsOwnAndCompactsThePartition() throws Exception {
        // June rows whose ids lie ~100,000 apart in four groups: the one-shot migration reads them in several JDBC
        // partitions (one per 100,000 ids, up to twice the cores), each task writing its own file of June; should a
        // write ever merge them into one file, a second migration adds another
        for (int group = 0; group < 4; group++) {
            jdbc.update("INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) SELECT 'trace', "
                    + "g::text, 'CERN', now(), jsonb_build_object('job_id', g, 'finaltimestamp', ?::bigint + g * 1000, "
                    + PAYLOAD_REST + ") FROM generate_series(?, ?) g",
                    JUNE_2024, group * 50, group * 50 + 49);
            jdbc.queryForObject("SELECT setval('staging.records_id_seq', nextval('staging.records_id_seq') + 100000)",
                    Long.class);
        }
        JsonNode migrated = runToEnd("/api/v1/etl/runs", "{\"dataset\":\"trace\"}");
        assertThat(migrated.get("status").asString()).as(migrated.toString()).isEqualTo("SUCCEEDED");
        assertThat(migrated.get("rowsWritten").asLong()).isEqualTo(200);
        if (juneFiles(DeltaLog.read(table())) < 2) {
            jdbc.update("INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) VALUES ('trace', "
                    + "'200', 'CERN', now(), jsonb_build_object('job_id', 200, 'finaltimestamp', ?::bigint, "
                    + PAYLOAD_REST + "))", JUNE_2024);
            assertThat(runToEnd("/api/v1/etl/runs", "{\"dataset\":\"trace\"}").get("status").asString())
                    .isEqualTo("SUCCEEDED");
        }
        DeltaLog before = DeltaLog.read(table());
        assertThat(juneFiles(before)).isGreaterThanOrEqualTo(2);

        JsonNode run = runToEnd("/api/v1/etl/maintenance", "{\"kind\":\"optimize\",\"dataset\":\"trace\"}");

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("kind").asString()).isEqualTo("optimize");
        JsonNode details = JSON.readTree(run.get("details").asString());
        assertThat(details.get("filesBefore").asLong()).isEqualTo(before.fileCount());
        assertThat(details.get("partitions").asString()).contains("year=2024/month=6");
        DeltaLog after = DeltaLog.read(table());
        assertThat(juneFiles(after)).isOne();
        assertThat(after.fileCount()).isEqualTo(details.get("filesAfter").asInt()).isLessThan(before.fileCount());
        assertThat(after.rowCount()).isEqualTo(before.rowCount());
        assertThat(after.version()).isEqualTo(run.get("deltaVersion").asLong()).isGreaterThan(before.version());
        // launched like a one-shot ETL run: its own JVM's stderr in run-<id>.log
        assertThat(work.resolve("logs").resolve("run-" + run.get("id").asLong() + ".log")).isNotEmptyFile();
    }

    private static long juneFiles(DeltaLog log) {
        return log.liveFiles().stream().filter(f -> f.startsWith(JUNE)).count();
    }

    private static Path table() {
        return s3Data.resolve(BUCKET).resolve("trace");
    }

    /** POSTs a run request as admin and waits for the (first) queued run to end. */
    private JsonNode runToEnd(String path, String body) throws Exception {
        HttpResponse<String> accepted = http.send(request(path, "admin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        long id = JSON.readTree(accepted.body()).get(0).get("id").asLong();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        JsonNode run = null;
        while (Instant.now().isBefore(deadline)) {
            run = JSON.readTree(http.send(request("/api/v1/etl/runs/" + id, "viewer").GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (!run.get("status").asString().matches("QUEUED|RUNNING")) {
                return run;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + id + " did not end: " + run);
    }

    private HttpRequest.Builder request(String path, String user) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8)));
    }
}

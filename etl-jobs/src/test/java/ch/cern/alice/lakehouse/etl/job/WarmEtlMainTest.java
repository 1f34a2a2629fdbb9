package ch.cern.alice.lakehouse.etl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm application's request loop on a real SparkSession and staging: runs tagged by run id, a cancel that ends a
 * long Spark job within seconds while the session serves the next run, runs side by side, refusals, end of input.
 */
class WarmEtlMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long JUNE_2024 = 1_717_200_000_000L;

    private static StagingDatabase staging;
    private static SparkSession spark;
    private static Path lake;
    private static PipedOutputStream requests;
    private static Thread server;
    private static final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        staging = StagingDatabase.start("trace");
        lake = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "lake");
        // the warm application's settings (FAIR scheduling between runs, small retained history)
        spark = SparkSession.builder().config(WarmEtlMain.sparkConf()).master("local[2]")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        Map<String, String> env = new HashMap<>(Map.of(
                "LAKEHOUSE_DB_URL", staging.jdbcUrl(),
                "LAKEHOUSE_DB_USER", "postgres",
                "LAKEHOUSE_DB_PASSWORD", "postgres",
                "ETL_TABLE_ROOT", lake.toString()));
        Map<String, RunHandler> handlers = new HashMap<>();
        handlers.put(RunHandlers.MIGRATE, RunHandlers.defaults().get(RunHandlers.MIGRATE));
        // a Spark job that would run for hours unless cancelled, in short tasks (FAIR shares cores task by task)
        handlers.put("endless", (session, request, config, progress) -> {
            progress.progress("spinning", 10);
            long sum = session.range(0, 400_000_000_000L, 1, 400_000).selectExpr("sum(id % 7)").first().getLong(0);
            return Map.of("sum", sum);
        });
        PrintStream out = new PrintStream(new LineCollector(), true, StandardCharsets.UTF_8);
        WarmEtlMain main = new WarmEtlMain(spark, RunHandlers.of(handlers), env, out);
        PipedInputStream in = new PipedInputStream(64 * 1024);
        requests = new PipedOutputStream(in);
        server = new Thread(() -> main.serve(in), "warm-serve");
        server.start();
        assertThat(next("ETL_READY", null).get("kinds").asText()).contains("migrate").contains("endless");
    }

    @AfterAll
    static void stop() throws Exception {
        if (requests != null) {
            requests.close();
        }
        if (server != null) {
            server.join(10_000);
        }
        if (spark != null) {
            spark.stop();
        }
        if (staging != null) {
            staging.close();
        }
        if (lake != null) {
            try (var paths = Files.walk(lake)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void runsCancelsAndRefusals() throws Exception {
        for (int i = 0; i < 50; i++) {
            staging.stageNewest("trace", "CERN|" + i, "CERN", Instant.now(), null, null, null,
                    "{\"job_id\": " + i + ", \"finaltimestamp\": " + (JUNE_2024 + i * 1000L) + ", \"cputime\": 5.0,"
                            + " \"walltime\": 10, \"requestedcpus\": 1, \"site\": \"CERN\"}");
        }
        long to = staging.maxId("trace");

        send("{\"op\":\"run\",\"runId\":\"7\",\"kind\":\"endless\",\"dataset\":\"metrics\"}");
        next("ETL_PROGRESS", "7");
        // another dataset runs beside it; the same dataset is refused (one writer per table)
        send("{\"op\":\"run\",\"runId\":\"8\",\"kind\":\"endless\",\"dataset\":\"metrics\"}");
        assertThat(next("ETL_ERROR", "8").get("error").asText()).contains("already has a run");
        send("{\"op\":\"run\",\"runId\":\"9\",\"kind\":\"migrate\",\"dataset\":\"trace\",\"from\":0,\"to\":" + to + "}");
        JsonNode result = next("ETL_RESULT", "9");
        assertThat(result.get("rowsWritten").asLong()).isEqualTo(50);
        assertThat(result.get("watermarkTo").asLong()).isEqualTo(to);
        assertThat(result.get("tables").get("trace").asLong()).isEqualTo(result.get("deltaVersion").asLong());
        assertThat(result.get("tables").get("trace_daily_site").isIntegralNumber()).as(result.toString()).isTrue();

        Instant cancelled = Instant.now();
        send("{\"op\":\"cancel\",\"runId\":\"7\"}");
        JsonNode error = next("ETL_ERROR", "7");
        assertThat(error.get("cancelled").asBoolean()).isTrue();
        assertThat(Duration.between(cancelled, Instant.now())).as("cancel to end").isLessThan(Duration.ofSeconds(10));

        // the same session serves the next run: the re-run of the range changes nothing
        send("{\"op\":\"run\",\"runId\":\"10\",\"kind\":\"migrate\",\"dataset\":\"trace\",\"from\":0,\"to\":" + to + "}");
        JsonNode again = next("ETL_RESULT", "10");
        assertThat(again.get("rowsRead").asLong()).isEqualTo(50);
        assertThat(again.get("rowsWritten").asLong()).isZero();
        assertThat(spark.read().format("delta").load(lake + "/trace").count()).isEqualTo(50);
        int persistedAfterSecondRun = spark.sparkContext().getPersistentRDDs().size();
        send("{\"op\":\"run\",\"runId\":\"13\",\"kind\":\"migrate\",\"dataset\":\"trace\",\"from\":0,\"to\":" + to + "}");
        assertThat(next("ETL_RESULT", "13").get("rowsWritten").asLong()).isZero();

        send("{\"op\":\"run\",\"runId\":\"11\",\"kind\":\"nope\",\"dataset\":\"trace\"}");
        assertThat(next("ETL_ERROR", "11").get("error").asText()).contains("unknown run kind 'nope'");
        send("not json");
        assertThat(next("ETL_ERROR", null).get("error").asText()).contains("unreadable request");
        send("{\"op\":\"cancel\",\"runId\":\"12\"}");
        assertThat(next("ETL_CANCEL_IGNORED", "12").get("running").asBoolean()).isFalse();
        assertThat(spark.sharedState().cacheManager().isEmpty()).as("nothing cached after the runs").isTrue();
        // Delta keeps the state of each table's latest snapshot cached: bounded by tables, not runs
        assertThat(spark.sparkContext().getPersistentRDDs().size()).as("persisted RDDs after another run")
                .isLessThanOrEqualTo(persistedAfterSecondRun);
    }

    private static void send(String line) throws IOException {
        requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        requests.flush();
    }

    /** The next line with this tag and run id (null: none), skipping others (progress, phases). */
    private static JsonNode next(String tag, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(tag + " ")) {
                continue;
            }
            JsonNode json = JSON.readTree(line.substring(tag.length() + 1));
            String id = json.has("runId") ? json.get("runId").asText() : null;
            if (java.util.Objects.equals(id, runId)) {
                return json;
            }
        }
        throw new AssertionError("no " + tag + " line for run " + runId);
    }

    /** Collects what the application prints, line by line. */
    private static final class LineCollector extends OutputStream {
        private final StringBuilder current = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            String s = new String(b, off, len, StandardCharsets.UTF_8);
            for (char c : s.toCharArray()) {
                if (c == '\n') {
                    lines.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
        }
    }

    @SuppressWarnings("unused")
    private static List<String> drained() {
        List<String> all = new java.util.ArrayList<>();
        lines.drainTo(all);
        return all;
    }
}

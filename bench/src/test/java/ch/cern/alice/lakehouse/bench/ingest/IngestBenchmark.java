package ch.cern.alice.lakehouse.bench.ingest;

import ch.cern.alice.lakehouse.e2e.CollectorHttp;
import ch.cern.alice.lakehouse.e2e.LakehouseStack;
import ch.cern.alice.lakehouse.e2e.TraceRecords;
import ch.cern.alice.lakehouse.ingest.metrics.IngestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end ingest benchmark: several client threads POST synthetic ALICE job traces to the collector in batches;
 * figures are taken from the staging table itself (staged_at of every row), so they cover HTTP, validation, Kafka,
 * the ingest consumer and the Postgres COPY. Prints records/s from the first POST to the last staged row and the
 * p50/p99 latency from a batch's POST start to each of its rows being staged.
 * <p>
 * Runs against an embedded stack (default) or against running services when {@code BENCH_COLLECTOR_URL} is set
 * (then also {@code BENCH_API_KEY}, {@code BENCH_DB_URL}, {@code BENCH_DB_USER}, {@code BENCH_DB_PASSWORD}; the
 * ETL must not migrate the rows away during the run). Start it with {@code bench/ingest-bench.sh}.
 */
public final class IngestBenchmark {

    public static void main(String[] args) throws Exception {
        int records = intEnv("BENCH_RECORDS", 500_000);
        int batchSize = intEnv("BENCH_BATCH", 5_000);
        int threads = intEnv("BENCH_THREADS", 4);
        int warmup = intEnv("BENCH_WARMUP_RECORDS", 50_000);
        String collectorUrl = System.getenv("BENCH_COLLECTOR_URL");

        LakehouseStack stack = null;
        JdbcTemplate jdbc; // one connection: the report uses a temp table
        String apiKey;
        if (collectorUrl == null || collectorUrl.isBlank()) {
            System.out.println("Starting embedded stack (Kafka, PostgreSQL, collector, ingest)...");
            stack = LakehouseStack.start(intEnv("BENCH_PARTITIONS", 6), intEnv("BENCH_INGEST_CONCURRENCY", 2));
            collectorUrl = stack.collectorUrl();
            apiKey = LakehouseStack.CERN_KEY;
            jdbc = new JdbcTemplate(new SingleConnectionDataSource(stack.jdbcUrl(), "postgres", "", true));
        } else {
            apiKey = System.getenv().getOrDefault("BENCH_API_KEY", "");
            jdbc = new JdbcTemplate(new SingleConnectionDataSource(
                    System.getenv().getOrDefault("BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/lakehouse"),
                    System.getenv().getOrDefault("BENCH_DB_USER", "lakehouse"),
                    System.getenv().getOrDefault("BENCH_DB_PASSWORD", ""), true));
        }
        try {
            CollectorHttp http = new CollectorHttp(collectorUrl);
            // job ids unique per run so repeated runs against a running stack are not dropped as duplicates
            long runBase = System.currentTimeMillis() * 1_000L;
            if (warmup > 0) {
                System.out.printf("Warm-up: %,d records%n", warmup);
                Run warm = post(http, apiKey, runBase, bodies(runBase, warmup, batchSize), warmup, batchSize,
                        threads);
                awaitStaged(jdbc, stack, warm, Duration.ofMinutes(5));
            }
            System.out.printf("Measuring: %,d trace records, batches of %,d, %d client threads -> %s%n",
                    records, batchSize, threads, collectorUrl);
            long firstJobId = runBase + warmup + 1_000_000L;
            List<String> bodies = bodies(firstJobId, records, batchSize);
            long postmasterPid = stack == null ? 0 : StageCpu.postmasterPid(
                    jdbc.queryForObject("SHOW data_directory", String.class));
            WriteTimer before = WriteTimer.of(stack);
            StageCpu cpuBefore = StageCpu.snapshot(postmasterPid);
            long start = System.nanoTime();
            Run run = post(http, apiKey, firstJobId, bodies, records, batchSize, threads);
            awaitStaged(jdbc, stack, run, Duration.ofMinutes(15));
            double wallSeconds = (System.nanoTime() - start) / 1e9;
            StageCpu cpuAfter = StageCpu.snapshot(postmasterPid);
            report(jdbc, run);
            WriteTimer.of(stack).reportSince(before, run.records());
            if (stack != null) {
                cpuAfter.reportSince(cpuBefore, run.records(), wallSeconds);
            }
            System.out.println("load average              : " + loadAverage());
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    /** Batch {@code i} holds job ids {@code firstJobId + i*batchSize ...}; startedAt[i] is when its POST began. */
    record Run(long firstJobId, int records, int batchSize, long[] startedAtMillis, long postsDoneMillis) {
        int batches() {
            return startedAtMillis.length;
        }
    }

    /**
     * The request bodies, generated before the clock starts: sites send records they already have, so the cost of
     * inventing them is not part of the ingest path (and would take CPU from it on this small machine).
     */
    private static List<String> bodies(long firstJobId, int records, int batchSize) {
        List<String> bodies = new ArrayList<>();
        for (int first = 0; first < records; first += batchSize) {
            bodies.add(TraceRecords.jsonArray(firstJobId + first, Math.min(batchSize, records - first)));
        }
        return bodies;
    }

    private static Run post(CollectorHttp http, String apiKey, long firstJobId, List<String> bodies, int records,
                            int batchSize, int threads) throws Exception {
        int batches = bodies.size();
        long[] startedAt = new long[batches];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                task -> new Thread(task, "bench-client-" + threadNumber.incrementAndGet()));
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                clients.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                        int count = Math.min(batchSize, records - b * batchSize);
                        startedAt[b] = System.currentTimeMillis();
                        postUntilAccepted(http, apiKey, bodies.get(b), count);
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Run(firstJobId, records, batchSize, startedAt, System.currentTimeMillis());
    }

    private static void postUntilAccepted(CollectorHttp http, String apiKey, String body, int count)
            throws InterruptedException {
        while (true) {
            HttpResponse<String> response = http.post("trace", apiKey, body);
            if (response.statusCode() == 202) {
                if (!response.body().contains("\"accepted\":" + count + ",")) {
                    throw new IllegalStateException("not every record was accepted: " + response.body());
                }
                return;
            }
            if (response.statusCode() == 429 || response.statusCode() == 503) {
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                TimeUnit.SECONDS.sleep(wait);
                continue;
            }
            throw new IllegalStateException("POST failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** The job id part of a trace dedup key (site|job_id), as text. */
    private static final String JOB_ID = "split_part(dedup_key, '|', 2)";

    private static long stagedCount(JdbcTemplate jdbc, Run run) {
        return jdbc.queryForObject("SELECT count(*) FROM staging.records_trace WHERE " + JOB_ID + " >= ? AND "
                + JOB_ID + " <= ? AND length(" + JOB_ID + ") = ?", Long.class, Long.toString(run.firstJobId()),
                Long.toString(run.firstJobId() + run.records() - 1), Long.toString(run.firstJobId()).length());
    }

    /**
     * Waits until every record of the run is staged. With the embedded stack it watches the ingest service's
     * rows-written counter and counts in the database only once at the end: counting a growing range in staging every
     * 200 ms cost the database more CPU than the ingest itself and distorted the figures.
     */
    private static void awaitStaged(JdbcTemplate jdbc, LakehouseStack stack, Run run, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long staged;
        if (stack != null) {
            IngestMetrics metrics = stack.ingestContext().getBean(IngestMetrics.class);
            long target = rowsWritten(metrics) + run.records();
            long before = stagedCount(jdbc, run);
            while (rowsWritten(metrics) < target - before && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        while ((staged = stagedCount(jdbc, run)) < run.records()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + staged + " of " + run.records() + " records staged after "
                        + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(1000);
        }
    }

    private static long rowsWritten(IngestMetrics metrics) {
        return metrics.rowsWrittenPerDataset().getOrDefault("trace", 0L);
    }

    private static void report(JdbcTemplate jdbc, Run run) {
        jdbc.execute("CREATE TEMP TABLE IF NOT EXISTS bench_batches "
                + "(batch BIGINT PRIMARY KEY, started_at TIMESTAMPTZ)");
        jdbc.execute("TRUNCATE bench_batches");
        List<Object[]> batchRows = new ArrayList<>();
        for (int b = 0; b < run.batches(); b++) {
            batchRows.add(new Object[]{(long) b, new Timestamp(run.startedAtMillis()[b])});
        }
        jdbc.batchUpdate("INSERT INTO bench_batches VALUES (?, ?)", batchRows);
        Map<String, Object> figures = jdbc.queryForMap("""
                WITH staged AS (
                    SELECT r.staged_at, b.started_at
                    FROM staging.records_trace r
                    JOIN bench_batches b ON b.batch = (%1$s::bigint - ?) / ?
                    WHERE %1$s >= ? AND %1$s <= ? AND length(%1$s) = ?)
                SELECT count(*) AS rows,
                       extract(epoch FROM max(staged_at) - min(started_at)) AS seconds,
                       1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY staged_at - started_at))
                           AS p50_ms,
                       1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY staged_at - started_at))
                           AS p99_ms,
                       1000 * extract(epoch FROM max(staged_at - started_at)) AS max_ms
                FROM staged""".formatted("split_part(r.dedup_key, '|', 2)"),
                run.firstJobId(), run.batchSize(), Long.toString(run.firstJobId()),
                Long.toString(run.firstJobId() + run.records() - 1), Long.toString(run.firstJobId()).length());
        long rows = ((Number) figures.get("rows")).longValue();
        double seconds = ((Number) figures.get("seconds")).doubleValue();
        double postSeconds = (run.postsDoneMillis() - minStart(run)) / 1000.0;
        System.out.println();
        System.out.println("=== ingest path benchmark (POST -> collector -> Kafka -> ingest -> staging) ===");
        System.out.printf("records staged            : %,d (of %,d posted)%n", rows, run.records());
        System.out.printf("end to end                : %.2f s  ->  %,.0f records/s%n", seconds, rows / seconds);
        System.out.printf("HTTP POSTs alone          : %.2f s  ->  %,.0f records/s accepted by the collector%n",
                postSeconds, run.records() / postSeconds);
        System.out.printf("POST start -> staged  p50 : %,.0f ms%n", ((Number) figures.get("p50_ms")).doubleValue());
        System.out.printf("POST start -> staged  p99 : %,.0f ms%n", ((Number) figures.get("p99_ms")).doubleValue());
        System.out.printf("POST start -> staged  max : %,.0f ms%n", ((Number) figures.get("max_ms")).doubleValue());
    }

    /** The ingest service's own staging-write timer (embedded stack only): database write time alone. */
    record WriteTimer(long batches, double totalSeconds) {

        static WriteTimer of(LakehouseStack stack) {
            if (stack == null) {
                return null;
            }
            Timer timer = stack.ingestContext().getBean(MeterRegistry.class).find(IngestMetrics.BATCH_WRITE).timer();
            return timer == null ? new WriteTimer(0, 0)
                    : new WriteTimer(timer.count(), timer.totalTime(TimeUnit.SECONDS));
        }

        void reportSince(WriteTimer before, int records) {
            if (before == null) {
                return;
            }
            long n = batches - before.batches;
            double seconds = totalSeconds - before.totalSeconds;
            System.out.printf("ingest staging writes     : %,d batches, mean %.0f ms, %,.0f rows/s while writing "
                    + "(one transaction per batch: COPY, ON CONFLICT only when a key is already staged)%n",
                    n, n == 0 ? 0 : seconds * 1000 / n, seconds == 0 ? 0 : records / seconds);
        }
    }

    private static long minStart(Run run) {
        long min = Long.MAX_VALUE;
        for (long t : run.startedAtMillis()) {
            min = Math.min(min, t);
        }
        return min;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}

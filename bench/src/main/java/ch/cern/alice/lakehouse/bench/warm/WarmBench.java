package ch.cern.alice.lakehouse.bench.warm;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Benchmarks of the warm ETL application and continuous freshness (issue #14 item 5), against a RUNNING stack and
 * only through its public behaviour: collector POST, etl-service's run API (trigger, run records, staging counts),
 * query-gateway's query API at ref main. Rows are staged either by POSTing to the collector or, where a large
 * batch must become visible to the ETL at once, by COPY into staging (Postgres, as ingest-service writes it).
 * Measures, never asserts: every figure is printed with its target and the load average at that moment.
 * <p>
 * Run by the bench/warm-*.sh, bench/freshness-bench.sh and bench/small-runs-query-bench.sh scripts (they start or
 * reuse the stack and pass the configuration as environment variables, see bench/README.md). Commands:
 * {@code run5k | throughput | freshness | research-load <label> | research-queries <label> <file> |
 * research-compare <large file> <small file> | idle-cpu | rss}. Needs pgjdbc on the class path for COPY.
 */
public class WarmBench {

    static final String[] SITES = {"CERN", "FZK", "CNAF", "CCIN2P3", "GSI", "KISTI_GSDC", "NDGF", "RAL", "SARA",
            "Torino", "Cyfronet"};
    static final String[] STATES = {"DONE", "DONE", "DONE", "DONE", "DONE", "DONE", "DONE", "DONE", "DONE", "DONE",
            "DONE", "DONE", "DONE", "DONE", "DONE", "DONE", "ERROR_E", "ERROR_V", "EXPIRED", "KILLED"};
    static final long DAY_MS = 86_400_000L;

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    static int envInt(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }

    static final String COLLECTOR = env("LAKEHOUSE_COLLECTOR_URL", "http://127.0.0.1:8081");
    static final String ETL = env("LAKEHOUSE_ETL_URL", "http://127.0.0.1:8083");
    static final String GATEWAY = env("LAKEHOUSE_QUERY_URL", "http://127.0.0.1:8084");
    static final String ADMIN = basic(env("BENCH_ADMIN_USER", "admin"), env("BENCH_ADMIN_PASSWORD", "admin-demo"));
    static final String RESEARCHER = basic(env("BENCH_RESEARCHER_USER", "researcher"),
            env("BENCH_RESEARCHER_PASSWORD", "researcher-demo"));
    static final String API_KEY_PATTERN = env("BENCH_API_KEY_PATTERN", "demo-{site}-key");

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("command: run5k | throughput | freshness | research-load <label> | "
                    + "research-queries <label> <file> | research-compare <large> <small> | idle-cpu | rss");
        }
        switch (args[0]) {
            case "run5k" -> run5k();
            case "throughput" -> throughput();
            case "freshness" -> freshness();
            case "research-load" -> researchLoad(args[1]);
            case "research-queries" -> researchQueries(args[1], Path.of(args[2]));
            case "research-compare" -> researchCompare(Path.of(args[1]), Path.of(args[2]),
                    args.length > 3 ? Path.of(args[3]) : null);
            case "optimize" -> optimize();
            case "idle-cpu" -> idleCpu();
            case "rss" -> rss();
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // (a) wall time of a 5k-row run once warm
    // ------------------------------------------------------------------------------------------------------------

    static void run5k() throws Exception {
        int rows = envInt("BENCH_ROWS", 5000);
        int samples = envInt("BENCH_RUNS", 5);
        boolean copy = env("BENCH_STAGE", "post").equals("copy");
        String ds = "trace";
        IdRange ids = IdRange.fresh();
        System.out.printf("warm %d-row run: %d samples after one warm-up run, staged by %s; dataset %s%n", rows,
                samples, copy ? "COPY into staging" : "collector POST", ds);
        System.out.println("draining what is staged already ...");
        runUntilDrained(ds, Instant.now(), Duration.ofMinutes(30));
        List<Double> wall = new ArrayList<>();
        List<Double> endToEnd = new ArrayList<>();
        for (int i = 0; i <= samples; i++) {
            Instant since = Instant.now();
            long first = ids.take(rows);
            long now = System.currentTimeMillis();
            List<Row> batch = new ArrayList<>();
            for (long id = first; id < first + rows; id++) {
                batch.add(traceRow(id, now - Math.floorMod(id * 7919, 3 * DAY_MS), now, 0));
            }
            stage(ds, batch, copy, since);
            List<Map<String, Object>> runs = runUntilDrained(ds, since, Duration.ofMinutes(15));
            String label = i == 0 ? "warm-up run" : "run " + i;
            Map<String, Object> whole = runs.stream().filter(r -> num(r, "rowsRead") >= rows).findFirst().orElse(null);
            if (whole == null) {
                System.out.printf("  %s: the %d rows went into %d runs (%s): no sample%n", label, rows, runs.size(),
                        describe(runs));
                continue;
            }
            double s = num(whole, "durationMs") / 1000.0;
            double q = seconds(whole, "createdAt", "finishedAt");
            System.out.printf("  %s: %s   [%s]%n", label, describe(List.of(whole)), load());
            if (i > 0) {
                wall.add(s);
                endToEnd.add(q);
            }
        }
        figure(String.format("warm %,d-row run wall time p50 (of %d)", rows, wall.size()),
                fmtSeconds(p(wall, 0.5)) + " (min " + fmtSeconds(min(wall)) + ", max " + fmtSeconds(max(wall)) + ")",
                "< 3 s");
        figure("  same, queued -> finished p50", fmtSeconds(p(endToEnd, 0.5)), "(info)");
    }

    // ------------------------------------------------------------------------------------------------------------
    // (b) rows/s of a 1M-row run and of a 250k-row MERGE
    // ------------------------------------------------------------------------------------------------------------

    static void throughput() throws Exception {
        int rows = envInt("BENCH_ROWS", 1_000_000);
        int mergeRows = envInt("BENCH_MERGE_ROWS", rows / 4);
        String ds = "trace";
        IdRange ids = IdRange.fresh();
        System.out.printf("throughput through the ETL application: %,d new rows, then %,d rows of which %,d re-sent "
                + "(MERGE updates); staged by COPY into staging (one transaction: one run takes them all)%n",
                rows, mergeRows, mergeRows / 5);
        System.out.println("draining what is staged already, then a small warm-up run ...");
        runUntilDrained(ds, Instant.now(), Duration.ofMinutes(30));
        long warm = ids.take(2000);
        long now = System.currentTimeMillis();
        List<Row> warmRows = new ArrayList<>();
        for (long id = warm; id < warm + 2000; id++) {
            warmRows.add(traceRow(id, spreadEnd(id), now, 0));
        }
        Instant since = Instant.now();
        copy(ds, warmRows);
        System.out.println("  warm-up: " + describe(runUntilDrained(ds, since, Duration.ofMinutes(15))));

        long first = ids.take(rows);
        since = Instant.now();
        long t0 = System.nanoTime();
        copyGenerated(ds, first, rows, id -> traceRow(id, spreadEnd(id), System.currentTimeMillis(), 0));
        System.out.printf("  staged %,d rows by COPY in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
        reportThroughput("1M-row run", rows, runUntilDrained(ds, since, Duration.ofHours(2)));

        if (mergeRows > 0) {
            int resent = mergeRows / 5;
            long fresh = ids.take(mergeRows - resent);
            since = Instant.now();
            // a fifth re-sent jobs of the first batch (newer state change: the MERGE updates them), the rest new
            copyGenerated(ds, List.of(new long[]{first + rows - resent, resent}, new long[]{fresh, mergeRows - resent}),
                    List.of(id -> traceRow(id, spreadEnd(id), System.currentTimeMillis(), 60_000),
                            id -> traceRow(id, spreadEnd(id), System.currentTimeMillis(), 0)));
            reportThroughput("250k-row MERGE (1/5 updates)", mergeRows,
                    runUntilDrained(ds, since, Duration.ofHours(1)));
        }
    }

    static void reportThroughput(String what, int rows, List<Map<String, Object>> runs) {
        System.out.println("  runs: " + describe(runs));
        if (runs.isEmpty()) {
            figure(what + ": rows/s", "n/a (no run took the rows)", ">= 60,000 rows/s");
            return;
        }
        if (runs.size() != 1) {
            System.out.printf("  NOTE: %,d rows went into %d runs; rows/s below is over all of them%n", rows,
                    runs.size());
        }
        double runMs = runs.stream().mapToDouble(r -> num(r, "durationMs")).sum();
        long read = (long) runs.stream().mapToDouble(r -> num(r, "rowsRead")).sum();
        Instant created = runs.stream().map(r -> instant(r, "createdAt")).min(Instant::compareTo).orElseThrow();
        Instant finished = runs.stream().map(r -> instant(r, "finishedAt")).max(Instant::compareTo).orElseThrow();
        double wallS = Duration.between(created, finished).toMillis() / 1000.0;
        figure(what + ": rows/s (run record, " + fmtSeconds(runMs / 1000) + ")",
                String.format("%,.0f rows/s (%,d rows read)", read / (runMs / 1000), read), ">= 60,000 rows/s");
        figure("  same, queued -> finished (" + fmtSeconds(wallS) + ")", String.format("%,.0f rows/s", read / wallS),
                "(info)");
    }

    static long spreadEnd(long id) {
        // end times over the last ~6 months, fixed per job: a re-sent job stays in its month partition
        return System.currentTimeMillis() / DAY_MS * DAY_MS - Math.floorMod(id * 2_654_435_761L, 182 * DAY_MS);
    }

    // ------------------------------------------------------------------------------------------------------------
    // (c) freshness: POST accepted -> row visible at main through the gateway, under steady simulator load
    // ------------------------------------------------------------------------------------------------------------

    static void freshness() throws Exception {
        int durationS = envInt("BENCH_DURATION", 600);
        int warmupS = envInt("BENCH_FRESH_WARMUP", Math.min(60, durationS / 10));
        int everyMs = envInt("BENCH_SAMPLE_EVERY_MS", 1000);
        int drainS = envInt("BENCH_FRESH_DRAIN", 180);
        int pollMs = envInt("BENCH_POLL_MS", 1000);
        String sim = env("BENCH_SIMULATOR_CMD", "");
        IdRange ids = IdRange.fresh();
        System.out.printf("freshness: %d s of load (%s), one tagged trace record every %d ms, visible = first "
                + "gateway query at ref main that returns it (samples of the first %d s not counted)%n", durationS,
                sim.isEmpty() ? "no simulator" : "simulator", everyMs, warmupS);
        Process simulator = null;
        Thread simOut = null;
        if (!sim.isEmpty()) {
            simulator = new ProcessBuilder("bash", "-c", sim).redirectErrorStream(true).start();
            Process p = simulator;
            simOut = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        System.out.println("  [simulator] " + line);
                    }
                } catch (IOException ignored) {
                    // ends with the process
                }
            }, "simulator-output");
            simOut.setDaemon(true);
            simOut.start();
        }
        long start = System.nanoTime();
        long loadEnd = start + durationS * 1_000_000_000L;
        Map<Long, long[]> pending = new ConcurrentHashMap<>(); // id -> {acceptedNanos, finalMs}
        List<double[]> seen = Collections.synchronizedList(new ArrayList<>()); // {sentAtS, latencyS, lowerS}
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            long next = System.nanoTime();
            while (System.nanoTime() < loadEnd) {
                long id = ids.take(1);
                long now = System.currentTimeMillis();
                Row row = traceRow(id, now, now, 0);
                try {
                    post("trace", row.site, List.of(row.json));
                    pending.put(id, new long[]{System.nanoTime(), now});
                    sent.incrementAndGet();
                } catch (Exception e) {
                    System.out.println("  sample POST failed: " + e.getMessage());
                }
                next += everyMs * 1_000_000L;
                sleepNanos(next - System.nanoTime());
            }
            sending.set(false);
        }, "sampler");
        sampler.start();
        long lastReport = System.nanoTime();
        String lastError = null;
        long drainEnd = Long.MAX_VALUE;
        while (true) {
            if (!sending.get() && drainEnd == Long.MAX_VALUE) {
                drainEnd = System.nanoTime() + drainS * 1_000_000_000L;
                if (simulator != null) {
                    simulator.destroy();
                }
                System.out.printf("load ended; waiting up to %d s for the last %d samples [%s]%n", drainS,
                        pending.size(), load());
            }
            if (!sending.get() && (pending.isEmpty() || System.nanoTime() > drainEnd)) {
                break;
            }
            List<Map.Entry<Long, long[]>> oldest = pending.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).limit(100).toList(); // the gateway's first page: 100 rows
            if (!oldest.isEmpty()) {
                String inList = oldest.stream().map(e -> String.valueOf(e.getKey())).collect(Collectors.joining(","));
                List<ZonedDateTime> times = oldest.stream()
                        .map(e -> Instant.ofEpochMilli(e.getValue()[1]).atZone(ZoneOffset.UTC)).toList();
                String years = times.stream().map(t -> String.valueOf(t.getYear())).distinct()
                        .collect(Collectors.joining(","));
                String months = times.stream().map(t -> String.valueOf(t.getMonthValue())).distinct()
                        .collect(Collectors.joining(","));
                long q0 = System.nanoTime();
                QueryResult r;
                try {
                    r = query("SELECT job_id FROM trace WHERE year IN (" + years + ") AND month IN (" + months
                            + ") AND job_id IN (" + inList + ")", 1000);
                } catch (Exception e) {
                    r = new QueryResult(List.of(), "gateway unreachable: " + e, 0, 0, 0);
                }
                long q1 = System.nanoTime();
                if (r.error != null) {
                    if (!r.error.equals(lastError)) {
                        System.out.println("  query not answered (" + r.error + "), still polling");
                        lastError = r.error;
                    }
                } else {
                    for (List<Object> row : r.rows) {
                        long id = Long.parseLong(String.valueOf(row.get(0)));
                        long[] s = pending.remove(id);
                        if (s != null) {
                            seen.add(new double[]{(s[0] - start) / 1e9, (q1 - s[0]) / 1e9,
                                    Math.max(0, q0 - s[0]) / 1e9});
                        }
                    }
                    if (r.rows.size() >= 100) {
                        continue; // a full page: more may be visible already, ask again at once
                    }
                }
            }
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                lastReport = System.nanoTime();
                List<Double> lat = seen.stream().map(d -> d[1]).toList();
                System.out.printf("  t=%4.0fs samples sent %d, visible %d (p50 %s so far), pending %d   [%s]%n",
                        (lastReport - start) / 1e9, sent.get(), seen.size(), fmtSeconds(p(lat, 0.5)), pending.size(),
                        load());
            }
            sleepNanos(pollMs * 1_000_000L);
        }
        sampler.join();
        if (simulator != null) {
            simulator.destroy();
            simulator.waitFor();
            simOut.join(2000);
        }
        List<Double> counted = seen.stream().filter(d -> d[0] >= warmupS).map(d -> d[1]).sorted().toList();
        List<Double> lower = seen.stream().filter(d -> d[0] >= warmupS).map(d -> d[2]).sorted().toList();
        long lostCounted = pending.values().stream().filter(v -> (v[0] - start) / 1e9 >= warmupS).count();
        int n = counted.size() + (int) lostCounted;
        System.out.printf("samples: %d sent, %d visible, %d never visible within the %d s drain; counted (after the "
                + "first %d s): %d%n", sent.get(), seen.size(), pending.size(), drainS, warmupS, n);
        // samples never seen count as infinitely late: p99 is only a number when they are fewer than 1%
        figure("freshness p50 (POST accepted -> visible at main)", pctWithLost(counted, lostCounted, 0.5), "(info)");
        figure("freshness p99 (POST accepted -> visible at main)", pctWithLost(counted, lostCounted, 0.99), "< 60 s");
        figure("  max", counted.isEmpty() ? "n/a" : fmtSeconds(counted.get(counted.size() - 1)), "(info)");
        figure("  p50/p99 by query start (lower bound)", fmtSeconds(p(lower, 0.5)) + " / " + fmtSeconds(p(lower, 0.99)),
                "(info: the poll query's own time is between the two)");
    }

    static String pctWithLost(List<Double> sortedSeen, long lost, double q) {
        long n = sortedSeen.size() + lost;
        if (n == 0) {
            return "n/a (no samples)";
        }
        int idx = (int) Math.ceil(q * n) - 1;
        if (idx >= sortedSeen.size()) {
            return "> drain time (" + lost + " of " + n + " samples never visible)";
        }
        return fmtSeconds(sortedSeen.get(Math.max(0, idx)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // (d) research queries after many small runs vs one large run (each on its own fresh stack)
    // ------------------------------------------------------------------------------------------------------------

    /** Same three queries as bench/query/QueryBench.java, on the lake's tables (default schema, ref main). */
    static final String[][] RESEARCH_QUERIES = {
            {"cpu efficiency per site per month", "SELECT site, year, month, count(*) AS jobs, "
                    + "sum(cputime) / sum(walltime) AS cpu_eff FROM trace GROUP BY site, year, month "
                    + "ORDER BY site, year, month"},
            {"failed-job ratio by state", "SELECT status, count(*) AS jobs, "
                    + "CAST(count(*) AS DOUBLE) / sum(count(*)) OVER () AS ratio FROM job_info "
                    + "GROUP BY status ORDER BY jobs DESC"},
            {"top hosts by maxrss", "SELECT host, max(maxrss) AS peak_rss FROM trace "
                    + "GROUP BY host ORDER BY peak_rss DESC LIMIT 20"}};

    /** label large: all rows in one run per dataset; label small: BENCH_SMALL_RUNS runs per dataset. */
    static void researchLoad(String label) throws Exception {
        int runs = envInt("BENCH_SMALL_RUNS", 500);
        int perRun = envInt("BENCH_ROWS_PER_RUN", 1000);
        long total = (long) runs * perRun;
        int chunks = label.equals("large") ? 1 : runs;
        long chunk = total / chunks;
        long base = 4_000_000_000_000_000L; // the same job ids (and rows) on both stacks
        System.out.printf("[%s] %,d jobs (trace + job_info rows each) in %d run(s) per dataset of %,d rows%n",
                label, total, chunks, chunk);
        for (String ds : List.of("trace", "job_info")) {
            runUntilDrained(ds, Instant.now(), Duration.ofMinutes(30));
        }
        long t0 = System.nanoTime();
        List<Double> durations = new ArrayList<>();
        int maintenance = 0;
        for (int c = 0; c < chunks; c++) {
            long first = base + c * chunk;
            Instant since = Instant.now();
            copyGenerated("trace", first, (int) chunk, id -> traceRow(id, spreadEndFixed(id), fixedNow(), 0));
            copyGenerated("job_info", first, (int) chunk, WarmBench::jobInfoRow);
            for (String ds : List.of("trace", "job_info")) {
                trigger(ds); // both queued before waiting: they may run side by side
            }
            for (String ds : List.of("trace", "job_info")) {
                for (Map<String, Object> r : runUntilDrained(ds, since, Duration.ofHours(2))) {
                    durations.add(num(r, "durationMs") / 1000.0);
                }
            }
            if ((c + 1) % 50 == 0 || c + 1 == chunks) {
                // the warm application's memory over these runs too (two runs a chunk: 500 chunks = 1,000 runs)
                long pid = sparkAppPid();
                System.out.printf("  [%s] %d/%d chunks staged and run, %.0f s so far, run p50 %s, RSS of the Spark"
                                + " application (pid %d) %s%s   [%s]%n", label, c + 1, chunks,
                        (System.nanoTime() - t0) / 1e9, fmtSeconds(p(durations, 0.5)), pid,
                        pid > 0 ? rssOf(pid) : "n/a", sparkStatusLine(), load());
            }
        }
        System.out.println("waiting for the stack to be idle (maintenance runs included) ...");
        waitIdle(Duration.ofMinutes(30), Duration.ofSeconds(envInt("BENCH_IDLE_SETTLE", 20)));
        for (Map<String, Object> r : recentRuns(null, 200)) {
            if (isMaintenance(r)) {
                maintenance++;
            }
        }
        System.out.printf("[%s] loaded: %d ETL runs in %.0f s; maintenance runs among the last 200 runs: %d%n",
                label, durations.size(), (System.nanoTime() - t0) / 1e9, maintenance);
    }

    static long fixedNow() {
        return 1_767_225_600_000L; // 2026-01-01: both stacks get byte-identical rows
    }

    static long spreadEndFixed(long id) {
        return fixedNow() - Math.floorMod(id * 2_654_435_761L, 182 * DAY_MS);
    }

    static void researchQueries(String label, Path out) throws Exception {
        int repeats = envInt("BENCH_QUERY_RUNS", 5);
        StringBuilder tsv = new StringBuilder();
        System.out.printf("[%s] research queries through the gateway at ref main: 1 warm-up + %d timed runs each%n",
                label, repeats);
        for (String[] q : RESEARCH_QUERIES) {
            QueryResult warm = query(q[1], 10_000);
            if (warm.error != null) {
                throw new IllegalStateException("query '" + q[0] + "' failed: " + warm.error);
            }
            List<Double> wall = new ArrayList<>();
            List<Double> server = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                QueryResult r = query(q[1], 10_000);
                if (r.error != null) {
                    throw new IllegalStateException("query '" + q[0] + "' failed: " + r.error);
                }
                wall.add(r.wallMs);
                server.add(r.serverMs);
            }
            figure(String.format("[%s] %s p50", label, q[0]), String.format(
                    "%.0f ms (gateway %.0f ms, %d rows)", p(wall, 0.5), p(server, 0.5), warm.rowCount),
                    "(compared below)");
            tsv.append(q[0]).append('\t').append(p(wall, 0.5)).append('\n');
        }
        Files.writeString(out, tsv.toString());
    }

    static void researchCompare(Path large, Path small, Path optimized) throws IOException {
        Map<String, Double> l = readTsv(large);
        Map<String, Double> s = readTsv(small);
        Map<String, Double> o = optimized != null && Files.exists(optimized) ? readTsv(optimized) : Map.of();
        System.out.println("research queries (p50) after many small runs vs one large run (same rows):");
        for (String q : l.keySet()) {
            Double sv = s.get(q);
            figure(q + " (as the runs left it)", sv == null ? "n/a"
                    : String.format("%.0f ms vs %.0f ms = %.2fx", sv, l.get(q), sv / l.get(q)), "<= 1.2x");
            Double ov = o.get(q);
            if (ov != null) {
                figure(q + " (after OPTIMIZE)", String.format("%.0f ms vs %.0f ms = %.2fx", ov, l.get(q),
                        ov / l.get(q)), "(info)");
            }
        }
    }

    /** Compaction on demand (POST /api/v1/etl/maintenance, issue #14 item 3) of trace and job_info, waited for. */
    static void optimize() throws Exception {
        Instant since = Instant.now().minusMillis(500);
        for (String ds : List.of("trace", "job_info")) {
            Resp r = send("POST", ETL + "/api/v1/etl/maintenance", ADMIN,
                    "{\"kind\":\"optimize\",\"dataset\":\"" + ds + "\"}", null);
            if (r.status == 404 || r.status == 405) {
                System.out.println("  no maintenance API on this etl-service (HTTP " + r.status + "): not optimized");
                return;
            }
            if (r.status != 202 && r.status != 200 && r.status != 409) {
                throw new IllegalStateException("optimize " + ds + ": HTTP " + r.status + " " + abbreviate(r.body));
            }
        }
        waitIdle(Duration.ofMinutes(60), Duration.ofSeconds(5));
        for (Map<String, Object> r : recentRuns(null, 50)) {
            if (isMaintenance(r) && !instant(r, "createdAt").isBefore(since)) {
                System.out.printf("  %s %s #%d %s in %s: %s%n", str(r, "kind"), str(r, "dataset"), (long) num(r, "id"),
                        str(r, "status"), fmtSeconds(num(r, "durationMs") / 1000.0), abbreviate(str(r, "details")));
            }
        }
    }

    static Map<String, Double> readTsv(Path file) throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length == 2) {
                m.put(f[0], Double.parseDouble(f[1]));
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------------------
    // (e) idle CPU of the warm application, and its RSS over many runs
    // ------------------------------------------------------------------------------------------------------------

    static void idleCpu() throws Exception {
        int seconds = envInt("BENCH_IDLE_SECONDS", 60);
        System.out.println("waiting until no run is queued or running and nothing is staged ...");
        waitIdle(Duration.ofMinutes(envInt("BENCH_IDLE_WAIT_MINUTES", 10)),
                Duration.ofSeconds(envInt("BENCH_IDLE_SETTLE", 10)));
        long pid = sparkAppPid();
        if (pid < 0) {
            figure("idle CPU of the warm Spark application", "n/a: no long-lived Spark application JVM found "
                    + "(set BENCH_SPARK_PID)", "< 2% of a core");
            return;
        }
        long etlPid = etlServicePid();
        List<Map<String, Object>> newest = recentRuns(null, 1);
        double before = newest.isEmpty() ? 0 : num(newest.get(0), "id");
        long hz = clockTicks();
        long[] t0 = cpuTicks(pid);
        long[] e0 = etlPid > 0 ? cpuTicks(etlPid) : null;
        long w0 = System.nanoTime();
        long sliceTicks = t0[0];
        long sliceStart = w0;
        double maxSlice = 0;
        for (int i = 1; i <= seconds; i++) {
            sleepNanos(w0 + i * 1_000_000_000L - System.nanoTime());
            if (i % 10 == 0 || i == seconds) {
                long[] t = cpuTicks(pid);
                double slice = (t[0] - sliceTicks) / (double) hz / ((System.nanoTime() - sliceStart) / 1e9) * 100;
                maxSlice = Math.max(maxSlice, slice);
                System.out.printf("  %3d s: %.2f%% of a core over the last %d s   [%s]%n", i, slice,
                        i % 10 == 0 ? 10 : i % 10, load());
                sliceTicks = t[0];
                sliceStart = System.nanoTime();
            }
        }
        long[] t1 = cpuTicks(pid);
        double wall = (System.nanoTime() - w0) / 1e9;
        List<Map<String, Object>> latest = recentRuns(null, 1);
        if (!latest.isEmpty() && num(latest.get(0), "id") != before) {
            System.out.println("  WARNING: a run was created during the window (schedule/continuous): not idle");
        }
        figure(String.format("idle CPU of the warm Spark application (pid %d, %.0f s)", pid, wall),
                String.format("%.2f%% of a core (max 10-s slice %.2f%%; RSS %s%s)",
                        (t1[0] - t0[0]) / (double) hz / wall * 100, maxSlice, rssOf(pid), sparkStatusLine()),
                "< 2% of a core");
        if (e0 != null) {
            long[] e1 = cpuTicks(etlPid);
            figure(String.format("  idle CPU of etl-service (pid %d)", etlPid),
                    String.format("%.2f%% of a core", (e1[0] - e0[0]) / (double) hz / wall * 100), "(info)");
        }
    }

    static void rss() throws Exception {
        int runs = envInt("BENCH_RSS_RUNS", 1000);
        int rows = envInt("BENCH_RSS_ROWS", 100);
        int every = envInt("BENCH_RSS_EVERY", 100);
        boolean copy = env("BENCH_STAGE", "copy").equals("copy");
        String ds = "trace";
        IdRange ids = IdRange.fresh();
        System.out.printf("RSS of the warm Spark application over %d runs of %d rows (staged by %s)%n", runs, rows,
                copy ? "COPY" : "collector POST");
        runUntilDrained(ds, Instant.now(), Duration.ofMinutes(30));
        long pid = -1;
        List<Double> durations = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i <= runs; i++) {
            Instant since = Instant.now();
            long first = ids.take(rows);
            long now = System.currentTimeMillis();
            List<Row> batch = new ArrayList<>();
            for (long id = first; id < first + rows; id++) {
                batch.add(traceRow(id, now - Math.floorMod(id * 7919, 3 * DAY_MS), now, 0));
            }
            stage(ds, batch, copy, since);
            for (Map<String, Object> r : runUntilDrained(ds, since, Duration.ofMinutes(15))) {
                durations.add(num(r, "durationMs") / 1000.0);
            }
            if (i % every == 0) { // i == 0: after the first run (the application may start lazily)
                long now2 = sparkAppPid();
                if (pid > 0 && now2 != pid) {
                    System.out.printf("  NOTE: the Spark application's pid changed %d -> %d (restarted?)%n", pid, now2);
                }
                pid = now2;
                List<Double> last = durations.subList(Math.max(0, durations.size() - every), durations.size());
                figure(String.format("after %4d runs: RSS of the Spark application (pid %d)", i, pid),
                        (pid > 0 ? rssOf(pid) : "n/a (no long-lived Spark JVM)") + String.format(", run p50 %s, "
                                + "%.0f s so far", fmtSeconds(p(last, 0.5)), (System.nanoTime() - t0) / 1e9)
                                + sparkStatusLine(),
                        "flat");
            }
        }
    }

    static long sparkAppPid() throws IOException {
        String configured = env("BENCH_SPARK_PID", "");
        if (!configured.isEmpty()) {
            return Long.parseLong(configured);
        }
        // etl-service names it (GET /api/v1/etl/spark: state, pid, restarts, runsServed) ...
        Map<String, Object> status = sparkStatus();
        if (status != null && status.get("pid") instanceof Number n && n.longValue() > 0) {
            return n.longValue();
        }
        // ... else the warm application's command line (etl-jobs' WarmEtlMain via SparkSubmit); the oldest one wins
        List<long[]> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains("org.apache.spark.deploy.SparkSubmit") && (cmd.contains("WarmEtlMain")
                            || cmd.contains(env("BENCH_SPARK_MATCH", "lakehouse-etl-warm")))) {
                        found.add(new long[]{Long.parseLong(p.getFileName().toString()), startTicks(p)});
                    }
                } catch (IOException | RuntimeException ignored) {
                    // process gone meanwhile
                }
            }
        }
        if (found.size() > 1) {
            System.out.println("  NOTE: " + found.size() + " Spark application JVMs found, measuring the oldest");
        }
        return found.stream().min((a, b) -> Long.compare(a[1], b[1])).map(a -> a[0]).orElse(-1L);
    }

    /** etl-service's view of its warm Spark application, or null when it has none (before issue #14). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sparkStatus() {
        try {
            Resp r = get(ETL + "/api/v1/etl/spark", ADMIN);
            return r.status == 200 ? (Map<String, Object>) Json.parse(r.body) : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String sparkStatusLine() {
        Map<String, Object> s = sparkStatus();
        return s == null ? "" : String.format(", state %s, restarts %d, runs served %d", str(s, "state"),
                (long) num(s, "restarts"), (long) num(s, "runsServed"));
    }

    static long etlServicePid() {
        try {
            Path f = Path.of(env("LAKEHOUSE_DATA_DIR", ".data"), "pids", "etl-service.pid");
            return Files.exists(f) ? Long.parseLong(Files.readString(f).strip()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** utime + stime in clock ticks (fields 14 and 15 of /proc/pid/stat, counted after the command's ')'). */
    static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    static long startTicks(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

    static String rssOf(long pid) {
        try {
            String rss = "?";
            String hwm = "?";
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = line.replaceAll("\\D", "");
                } else if (line.startsWith("VmHWM:")) {
                    hwm = line.replaceAll("\\D", "");
                }
            }
            return String.format("%,d MB (peak %,d MB)", Long.parseLong(rss) / 1024, Long.parseLong(hwm) / 1024);
        } catch (IOException | NumberFormatException e) {
            return "n/a (pid " + pid + " gone)";
        }
    }

    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            return 100;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // etl-service: runs and staging
    // ------------------------------------------------------------------------------------------------------------

    static boolean isMaintenance(Map<String, Object> run) {
        if (!str(run, "kind").isEmpty()) { // migrate, optimize, vacuum
            return !str(run, "kind").equalsIgnoreCase("migrate");
        }
        String kind = str(run, "trigger").toUpperCase(Locale.ROOT);
        return kind.contains("OPTIMIZE") || kind.contains("VACUUM") || kind.contains("MAINT")
                || kind.contains("COMPACT");
    }

    static boolean active(Map<String, Object> run) {
        String s = str(run, "status");
        return s.equals("QUEUED") || s.equals("RUNNING");
    }

    /** The newest runs (all kinds), of a dataset or of all. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> recentRuns(String dataset, int size) throws Exception {
        Resp r = get(ETL + "/api/v1/etl/runs?size=" + size + (dataset == null ? "" : "&dataset=" + dataset), ADMIN);
        r.expect(200, "list runs");
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.body)).get("runs");
    }

    @SuppressWarnings("unchecked")
    static long pending(String dataset) throws Exception {
        Resp r = get(ETL + "/api/v1/etl/staging", ADMIN);
        r.expect(200, "staging counts");
        for (Object o : (List<Object>) Json.parse(r.body)) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (dataset == null || dataset.equals(m.get("dataset"))) {
                long n = (long) num(m, "pendingRows");
                if (dataset != null || n > 0) {
                    return n;
                }
            }
        }
        return 0;
    }

    /** POST a run of the dataset: true when started, false when one is in progress already (409). */
    static boolean trigger(String dataset) throws Exception {
        Resp r = send("POST", ETL + "/api/v1/etl/runs", ADMIN, "{\"dataset\":\"" + dataset + "\"}", null);
        if (r.status == 409) {
            return false;
        }
        r.expect(202, "trigger a run of " + dataset);
        return true;
    }

    /**
     * Makes sure every row staged for the dataset gets migrated: triggers a run when rows are pending and none is
     * in progress (a continuous trigger may have started one already: then that one is waited for), until nothing
     * is pending and no run is queued or running. Returns the ETL runs (not maintenance) created since {@code since}.
     */
    static List<Map<String, Object>> runUntilDrained(String dataset, Instant since, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = -1;
        Instant from = since.minusMillis(500);
        while (true) {
            List<Map<String, Object>> runs = recentRuns(dataset, 100).stream()
                    .filter(r -> !instant(r, "createdAt").isBefore(from)).toList();
            for (Map<String, Object> r : runs) {
                if (str(r, "status").equals("FAILED") && !isMaintenance(r)) {
                    throw new IllegalStateException("run " + num(r, "id") + " of " + dataset + " FAILED: "
                            + str(r, "error"));
                }
            }
            boolean busy = runs.stream().anyMatch(WarmBench::active)
                    || recentRuns(dataset, 5).stream().anyMatch(WarmBench::active);
            long pendingRows = pending(dataset);
            if (!busy && pendingRows > 0) {
                trigger(dataset);
                quietSince = -1;
            } else if (!busy) {
                if (quietSince < 0) {
                    quietSince = System.nanoTime();
                }
                // done when something ran since, or nothing was staged at all (for a few seconds)
                if (runs.stream().anyMatch(r -> !isMaintenance(r)) || System.nanoTime() - quietSince > 3e9) {
                    List<Map<String, Object>> etl = new ArrayList<>(
                            runs.stream().filter(r -> !isMaintenance(r)).toList());
                    etl.sort((a, b) -> Double.compare(num(a, "id"), num(b, "id")));
                    return etl;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(dataset + ": rows still pending (" + pendingRows + ") or a run still "
                        + "active after " + timeout);
            }
            sleepNanos(200_000_000L);
        }
    }

    /** No run queued or running (any dataset, any kind) and nothing staged, for {@code settle}. */
    static void waitIdle(Duration timeout, Duration settle) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = -1;
        while (System.nanoTime() < deadline) {
            boolean busy = recentRuns(null, 50).stream().anyMatch(WarmBench::active) || pending(null) > 0;
            if (busy) {
                quietSince = -1;
            } else if (quietSince < 0) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= settle.toNanos()) {
                return;
            }
            sleepNanos(500_000_000L);
        }
        System.out.println("  WARNING: the stack did not become idle within " + timeout + "; measuring anyway");
    }

    static String describe(List<Map<String, Object>> runs) {
        if (runs.isEmpty()) {
            return "no run";
        }
        return runs.stream().map(r -> String.format("#%d %s %s rows read %,d in %s (queued->finished %s)",
                (long) num(r, "id"), str(r, "trigger"), str(r, "status"), (long) num(r, "rowsRead"),
                fmtSeconds(num(r, "durationMs") / 1000.0), fmtSeconds(seconds(r, "createdAt", "finishedAt"))))
                .collect(Collectors.joining("; "));
    }

    // ------------------------------------------------------------------------------------------------------------
    // staging: collector POST (then wait until staged) or COPY
    // ------------------------------------------------------------------------------------------------------------

    record Row(String dataset, long jobId, String site, String json) {
    }

    static void stage(String dataset, List<Row> rows, boolean copy, Instant since) throws Exception {
        if (copy) {
            copy(dataset, rows);
            return;
        }
        long before = pending(dataset);
        Map<String, List<String>> bySite = new TreeMap<>();
        for (Row r : rows) {
            bySite.computeIfAbsent(r.site, s -> new ArrayList<>()).add(r.json);
        }
        for (Map.Entry<String, List<String>> e : bySite.entrySet()) {
            List<String> all = e.getValue();
            for (int i = 0; i < all.size(); i += 1000) {
                post(dataset, e.getKey(), all.subList(i, Math.min(all.size(), i + 1000)));
            }
        }
        // staged: all pending, or a run started meanwhile (continuous trigger), give up waiting after 2 minutes
        long deadline = System.nanoTime() + 120_000_000_000L;
        Instant from = since.minusMillis(500);
        while (System.nanoTime() < deadline) {
            if (pending(dataset) >= before + rows.size()) {
                return;
            }
            if (recentRuns(dataset, 5).stream().anyMatch(r -> !instant(r, "createdAt").isBefore(from))) {
                return;
            }
            sleepNanos(100_000_000L);
        }
        throw new IllegalStateException(rows.size() + " records accepted but not staged within 2 minutes "
                + "(is ingest-service running?)");
    }

    static void post(String dataset, String site, List<String> records) throws Exception {
        String body = "[" + String.join(",", records) + "]";
        for (int attempt = 0; ; attempt++) {
            Resp r = send("POST", COLLECTOR + "/api/v1/datasets/" + dataset + "/records", null, body,
                    API_KEY_PATTERN.replace("{site}", site));
            if ((r.status == 429 || r.status == 503) && attempt < 10) {
                sleepNanos(1_000_000_000L);
                continue;
            }
            r.expect(202, "POST " + records.size() + " " + dataset + " records");
            Object accepted = ((Map<?, ?>) Json.parse(r.body)).get("accepted");
            if (((Number) accepted).intValue() != records.size()) {
                throw new IllegalStateException("collector accepted " + accepted + " of " + records.size() + ": "
                        + r.body.substring(0, Math.min(500, r.body.length())));
            }
            return;
        }
    }

    interface RowMaker {
        Row make(long id);
    }

    /** COPY of n generated rows in chunks, one transaction: the rows become visible to the ETL all at once. */
    static void copyGenerated(String dataset, long first, int n, RowMaker maker) throws Exception {
        copyGenerated(dataset, List.of(new long[]{first, n}), List.of(maker));
    }

    /** Several id ranges {first, count}, each with its row maker, in one transaction. */
    static void copyGenerated(String dataset, List<long[]> ranges, List<RowMaker> makers) throws Exception {
        try (Connection c = staging()) {
            c.setAutoCommit(false);
            for (int r = 0; r < ranges.size(); r++) {
                long first = ranges.get(r)[0];
                long n = ranges.get(r)[1];
                for (long start = 0; start < n; start += 100_000) {
                    List<Row> rows = new ArrayList<>();
                    for (long id = first + start; id < first + Math.min(n, start + 100_000); id++) {
                        rows.add(makers.get(r).make(id));
                    }
                    copy(c, dataset, rows);
                }
            }
            c.commit();
        }
    }

    static void copy(String dataset, List<Row> rows) throws Exception {
        try (Connection c = staging()) {
            copy(c, dataset, rows);
        }
    }

    static Connection staging() throws Exception {
        return DriverManager.getConnection(env("BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/lakehouse"),
                env("BENCH_DB_USER", "lakehouse_staging"), env("BENCH_DB_PASSWORD", "staging-local-only"));
    }

    /** COPY into staging as ingest-service stages records (dedup key site|key, as DedupKey builds it). */
    static void copy(Connection c, String dataset, List<Row> rows) throws Exception {
        StringBuilder sb = new StringBuilder(rows.size() * 450);
        String now = Instant.now().toString();
        for (Row r : rows) {
            sb.append(dataset).append('\t').append(r.site).append('|').append(r.jobId).append('\t').append(r.site)
                    .append('\t').append(now).append('\t').append(r.json).append('\n');
        }
        CopyManager copyApi = c.unwrap(PGConnection.class).getCopyAPI();
        copyApi.copyIn("COPY staging.records (dataset, dedup_key, site, received_at, payload) FROM STDIN",
                new StringReader(sb.toString()));
    }

    /** A trace record of a job ending at {@code endMs}; {@code laterBy} makes a re-sent record newer. */
    static Row traceRow(long id, long endMs, long nowMs, long laterBy) {
        Random random = new Random(id);
        String site = SITES[(int) Math.floorMod(id, (long) SITES.length)];
        int wall = 600 + random.nextInt(40_000);
        double eff = 30 + random.nextDouble() * 65;
        String json = String.format(Locale.ROOT, "{\"job_id\":%d,\"aliencpuefficiency\":%.2f,\"cputime\":%.1f,"
                        + "\"host\":\"wn%d.%s\",\"maxrss\":%d,\"cpuefficiency\":%.2f,\"finaltimestamp\":%d,"
                        + "\"masterjobid\":%d,\"pid\":%d,\"requestedcpus\":1,\"requestedttl\":72000,"
                        + "\"runningtimestamp\":%d,\"savingtimestamp\":%d,\"startedtimestamp\":%d,\"walltime\":%d,"
                        + "\"maxvirt\":%d,\"site\":\"%s\",\"laststatuschangetimestamp\":%d}",
                id, eff, wall * eff / 100, random.nextInt(5000), site.toLowerCase(Locale.ROOT),
                500_000 + random.nextInt(3_000_000), eff, endMs, id / 100, 1000 + random.nextInt(60_000),
                endMs - wall * 1000L, endMs - 30_000, endMs - wall * 1000L - 5_000, wall,
                2_000_000 + random.nextInt(4_000_000), site, endMs + laterBy);
        return new Row("trace", id, site, json);
    }

    static Row jobInfoRow(long id) {
        Random random = new Random(~id);
        String site = SITES[(int) Math.floorMod(id, (long) SITES.length)];
        long end = spreadEndFixed(id);
        long submitS = end / 1000 - 3600 - random.nextInt(80_000);
        String json = String.format(Locale.ROOT, "{\"job_id\":%d,\"user_name\":\"aliprod\",\"site\":\"%s\","
                        + "\"exec_host\":\"wn%d.%s\",\"status\":\"%s\",\"priority\":%d,\"job_submit_timestamp\":%d,"
                        + "\"job_start_timestamp\":%d,\"job_finish_timestamp\":%d,\"activity\":\"MC\","
                        + "\"state_change_timestamp\":%d}",
                id, site, random.nextInt(5000), site.toLowerCase(Locale.ROOT), STATES[random.nextInt(STATES.length)],
                random.nextInt(1000), submitS, submitS + 600, end / 1000, end);
        return new Row("job_info", id, site, json);
    }

    /** Job ids of this bench invocation: far above the simulator's (~1e12), unique per start second. */
    static final class IdRange {
        private long next;

        static IdRange fresh() {
            IdRange r = new IdRange();
            r.next = 5_000_000_000_000_000L + (System.currentTimeMillis() / 1000 % 100_000_000L) * 10_000_000L;
            return r;
        }

        synchronized long take(int n) {
            long first = next;
            next += n;
            return first;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // query-gateway
    // ------------------------------------------------------------------------------------------------------------

    record QueryResult(List<List<Object>> rows, String error, double wallMs, double serverMs, long rowCount) {
    }

    @SuppressWarnings("unchecked")
    static QueryResult query(String sql, int maxRows) throws Exception {
        long t0 = System.nanoTime();
        String body = "{\"sql\":" + Json.quote(sql) + ",\"ref\":\"main\",\"maxRows\":" + maxRows + "}";
        Resp r;
        for (int attempt = 0; ; attempt++) {
            r = send("POST", GATEWAY + "/api/v1/queries", RESEARCHER, body, null);
            if (r.status == 429 && attempt < 30) {
                sleepNanos(1_000_000_000L);
                continue;
            }
            break;
        }
        if (r.status != 202 && r.status != 200) {
            return new QueryResult(List.of(), "HTTP " + r.status + " " + abbreviate(r.body), 0, 0, 0);
        }
        String id = String.valueOf(((Map<String, Object>) Json.parse(r.body)).get("id"));
        while (true) {
            Resp s = get(GATEWAY + "/api/v1/queries/" + id, RESEARCHER);
            s.expect(200, "query status");
            Map<String, Object> q = (Map<String, Object>) Json.parse(s.body);
            String status = str(q, "status");
            if (status.equals("FINISHED")) {
                double wall = (System.nanoTime() - t0) / 1e6;
                Object progress = q.get("progress");
                double server = q.get("durationMs") instanceof Number n ? n.doubleValue()
                        : progress instanceof Map ? num((Map<String, Object>) progress, "elapsedMs") : -1;
                List<List<Object>> rows = q.get("rows") == null ? List.of() : (List<List<Object>>) q.get("rows");
                return new QueryResult(rows, null, wall, server, (long) num(q, "rowCount"));
            }
            if (status.equals("FAILED") || status.equals("CANCELLED")) {
                return new QueryResult(List.of(), status + ": " + abbreviate(str(q, "error")), 0, 0, 0);
            }
            sleepNanos(50_000_000L);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // HTTP, JSON, figures
    // ------------------------------------------------------------------------------------------------------------

    record Resp(int status, String body) {
        void expect(int code, String what) {
            if (status != code) {
                throw new IllegalStateException(what + ": HTTP " + status + " " + abbreviate(body));
            }
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Resp get(String url, String auth) throws Exception {
        return send("GET", url, auth, null, null);
    }

    static Resp send(String method, String url, String auth, String json, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (apiKey != null) {
            b.header("X-Api-Key", apiKey);
        }
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r.body());
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    /** An Instant field: ISO-8601 text, or epoch seconds as a number. */
    static Instant instant(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return Instant.ofEpochMilli(Math.round(n.doubleValue() * 1000));
        }
        return v == null ? null : Instant.parse(String.valueOf(v));
    }

    static double seconds(Map<String, Object> m, String from, String to) {
        Instant a = instant(m, from);
        Instant b = instant(m, to);
        return a == null || b == null ? Double.NaN : Duration.between(a, b).toMillis() / 1000.0;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average: " + f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return "load average: unknown";
        }
    }

    static void figure(String what, String value, String target) {
        System.out.printf("FIGURE %-58s %s   target %s   [%s]%n", what, value, target, load());
    }

    static String fmtSeconds(double s) {
        return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.2f s", s);
    }

    static double p(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    static double min(List<Double> v) {
        return v.isEmpty() ? Double.NaN : Collections.min(v);
    }

    static double max(List<Double> v) {
        return v.isEmpty() ? Double.NaN : Collections.max(v);
    }

    static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Minimal JSON reader (objects -> LinkedHashMap, arrays -> ArrayList, numbers -> Long or Double). */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.ws();
            if (j.i != j.s.length()) {
                throw new IllegalArgumentException("trailing characters in JSON at " + j.i);
            }
            return v;
        }

        static String quote(String v) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : v.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String n = s.substring(start, i);
                    if (n.isEmpty()) {
                        throw new IllegalArgumentException("unexpected '" + c + "' in JSON at " + start);
                    }
                    return n.contains(".") || n.contains("e") || n.contains("E") ? (Object) Double.parseDouble(n)
                            : (Object) Long.parseLong(n);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' in JSON at " + i);
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}

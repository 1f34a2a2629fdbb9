package ch.cern.alice.lakehouse.bench.query;

import io.trino.jdbc.QueryStats;
import io.trino.jdbc.TrinoResultSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * Query-tier benchmark (run by bench/query-bench.sh with trino-jdbc on the class path): writes trace and job_info
 * as Delta tables on S3 through Trino (generated with unnest(sequence) cross joins), then times the typical queries.
 * Args: jdbcUrl bucket rows runs
 */
public class QueryBench {

    static final String SITES = "ARRAY['CERN','FZK','CNAF','CCIN2P3','GSI','KISTI_GSDC','NDGF','RAL','SARA','Torino',"
            + "'Cyfronet','Bari','Catania','Legnaro','Prague','Kosice','Grenoble','Subatech','IHEP','LBL']";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String bucket = args[1];
        long rows = Long.parseLong(args[2]);
        int runs = Integer.parseInt(args[3]);
        // Trino takes password logins over HTTPS only (docs/security.md#trino): the admin principal, its certificate
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("BENCH_TRINO_USER", "admin"));
        p.setProperty("password", System.getenv("BENCH_TRINO_PASSWORD"));
        p.setProperty("SSL", "true");
        p.setProperty("SSLTrustStorePath", System.getenv("BENCH_TRINO_TRUSTSTORE"));
        try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS delta.bench");
            generate(st, bucket, rows);
            generateDailySummary(st, bucket, blocksOf(rows) * 10_000);
            // the first three are also WarmBench.RESEARCH_QUERIES (bench/warm), on the lake's tables: keep them in step
            String[][] queries = {
                    {"cpu efficiency per site per month", "SELECT site, year, month, count(*) AS jobs, "
                            + "sum(cputime) / sum(walltime) AS cpu_eff FROM delta.bench.trace "
                            + "GROUP BY site, year, month ORDER BY site, year, month"},
                    {"failed-job ratio by state", "SELECT status, count(*) AS jobs, "
                            + "CAST(count(*) AS DOUBLE) / sum(count(*)) OVER () AS ratio FROM delta.bench.job_info "
                            + "GROUP BY status ORDER BY jobs DESC"},
                    {"top hosts by maxrss", "SELECT host, max(maxrss) AS peak_rss FROM delta.bench.trace "
                            + "GROUP BY host ORDER BY peak_rss DESC LIMIT 20"},
                    // extra, not one of the three: the same figure from the summary table etl-jobs maintains
                    {"cpu efficiency (trace_daily_site)", "SELECT site, year, month, sum(jobs) AS jobs, "
                            + "sum(total_cputime_s) / sum(total_walltime_s) AS cpu_eff "
                            + "FROM delta.bench.trace_daily_site GROUP BY site, year, month ORDER BY site, year, month"}};
            System.out.printf("%nload average before: %s%n", loadAverage());
            System.out.printf("%-36s %8s %8s %8s %8s %8s %6s  (first run, then p50/max of %d runs; cpu and s3 read "
                    + "are Trino's p50 CPU and input read time summed over threads; %,d rows per table)%n",
                    "query", "first ms", "p50 ms", "max ms", "cpu ms", "read ms", "rows", runs, rows);
            for (String[] q : queries) {
                // first run after the server start: plans cold and reads S3 (the file system cache is empty)
                long first = System.nanoTime();
                run(st, q[1]);
                first = (System.nanoTime() - first) / 1_000_000;
                List<Long> ms = new ArrayList<>();
                List<Long> cpu = new ArrayList<>();
                List<Long> read = new ArrayList<>();
                long resultRows = 0;
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    Run r = run(st, q[1]);
                    ms.add((System.nanoTime() - t0) / 1_000_000);
                    cpu.add(r.stats().getCpuTimeMillis());
                    read.add(r.stats().getPhysicalInputTimeMillis());
                    resultRows = r.rows();
                }
                System.out.printf("%-36s %8d %8d %8d %8d %8d %6d%n", q[0], first, median(ms),
                        Collections.max(ms), median(cpu), median(read), resultRows);
            }
            System.out.printf("load average after: %s%n", loadAverage());
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** What etl-jobs maintains as trace_daily_site (Aggregates.traceDailySite), built from the bench's trace. */
    static void generateDailySummary(Statement st, String bucket, long rows) throws SQLException {
        if (exists(st, "trace_daily_site", -1)) {
            try (ResultSet rs = st.executeQuery("SELECT sum(jobs) FROM delta.bench.trace_daily_site")) {
                rs.next();
                if (rs.getLong(1) == rows) {
                    return;
                }
            }
            st.execute("DROP TABLE delta.bench.trace_daily_site");
        }
        long t0 = System.nanoTime();
        // a new location each time: a dropped table's files may stay behind
        st.execute("CREATE TABLE delta.bench.trace_daily_site WITH (location = 's3://" + bucket
                + "/bench/trace_daily_site-" + System.currentTimeMillis() + "', "
                + "partitioned_by = ARRAY['year', 'month']) AS "
                + "SELECT CAST(finaltimestamp AS DATE) AS day, site, count(*) AS jobs, "
                + "100 * sum(cputime) / sum(walltime) AS cpu_efficiency_weighted, "
                + "sum(CAST(walltime AS BIGINT)) AS total_walltime_s, sum(cputime) AS total_cputime_s, "
                + "max(maxrss) AS max_maxrss_kb, year, month FROM delta.bench.trace "
                + "GROUP BY year, month, CAST(finaltimestamp AS DATE), site");
        System.out.printf("trace_daily_site: built from %,d trace rows in %.1f s%n", rows,
                (System.nanoTime() - t0) / 1e9);
    }

    record Run(long rows, QueryStats stats) {
    }

    static Run run(Statement st, String sql) throws SQLException {
        long n = 0;
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                n++;
            }
            return new Run(n, rs.unwrap(TrinoResultSet.class).getStats());
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    static long blocksOf(long rows) {
        return Math.max(1, rows / 10_000);
    }

    /** @param rows the expected row count, or -1 for any: a table with another count is dropped */
    static boolean exists(Statement st, String table, long rows) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM delta.information_schema.tables WHERE table_catalog = "
                + "'delta' AND table_schema = 'bench' AND table_name = '" + table + "'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return false;
            }
        }
        if (rows < 0) {
            return true;
        }
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM delta.bench." + table)) {
            rs.next();
            if (rs.getLong(1) == rows) {
                return true;
            }
        }
        st.execute("DROP TABLE delta.bench." + table);
        return false;
    }

    /** rows = blocks * 10000: job ids 1..rows spread over ~347 days of 2025. */
    static void generate(Statement st, String bucket, long rows) throws SQLException {
        long blocks = blocksOf(rows);
        String ids = "(SELECT (b - 1) * 10000 + i AS job_id FROM unnest(sequence(1, " + blocks + ")) AS x(b) "
                + "CROSS JOIN unnest(sequence(1, 10000)) AS y(i))";
        if (!exists(st, "trace", blocks * 10_000)) {
            long t0 = System.nanoTime();
            st.execute("CREATE TABLE delta.bench.trace WITH (location = 's3://" + bucket + "/bench/trace', "
                    + "partitioned_by = ARRAY['year', 'month']) AS "
                    + "SELECT job_id, site, lower(site) || '-wn' || CAST(job_id % 500 AS VARCHAR) AS host, "
                    + "CAST(walltime * (0.2 + 0.79 * random()) AS DOUBLE) AS cputime, walltime, "
                    + "CAST(500000 + random(3500000) AS BIGINT) AS maxrss, ts AS finaltimestamp, "
                    + "year(ts) AS year, month(ts) AS month FROM ("
                    + "SELECT job_id, element_at(" + SITES + ", CAST(1 + job_id % 20 AS INTEGER)) AS site, "
                    + "600 + random(36000) AS walltime, from_unixtime(1735689600 + job_id * 3, 'UTC') AS ts "
                    + "FROM " + ids + ")");
            System.out.printf("trace: %,d rows written in %.1f s%n", blocks * 10_000,
                    (System.nanoTime() - t0) / 1e9);
        }
        if (!exists(st, "job_info", blocks * 10_000)) {
            long t0 = System.nanoTime();
            st.execute("CREATE TABLE delta.bench.job_info WITH (location = 's3://" + bucket + "/bench/job_info', "
                    + "partitioned_by = ARRAY['year', 'month']) AS "
                    + "SELECT job_id, element_at(" + SITES + ", CAST(1 + job_id % 20 AS INTEGER)) AS site, "
                    + "CASE WHEN r < 85 THEN 'DONE' WHEN r < 90 THEN 'ERROR_E' WHEN r < 93 THEN 'ERROR_V' "
                    + "WHEN r < 95 THEN 'EXPIRED' WHEN r < 98 THEN 'FAILED' ELSE 'KILLED' END AS status, "
                    + "ts AS job_submit_timestamp, year(ts) AS year, month(ts) AS month FROM ("
                    + "SELECT job_id, random(100) AS r, from_unixtime(1735689600 + job_id * 3, 'UTC') AS ts "
                    + "FROM " + ids + ")");
            System.out.printf("job_info: %,d rows written in %.1f s%n", blocks * 10_000,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}

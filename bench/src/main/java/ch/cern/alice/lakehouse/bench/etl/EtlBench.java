package ch.cern.alice.lakehouse.bench.etl;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Staging (COPY) -> Spark ETL job (own JVM via SparkSubmit) -> Delta on S3Proxy. Run by bench/etl-bench.sh.
 * Args: etl-jobs target dir, work dir, number of rows, S3Proxy jar.
 */
public class EtlBench {

    private static final String[] SITES = {"CERN", "FZK", "CNAF", "CCIN2P3", "GSI", "KISTI_GSDC", "NDGF", "RAL",
            "SARA", "Torino", "Cyfronet"};
    private static final long JAN_2024 = 1_704_067_200_000L;
    private static final long SIX_MONTHS_MS = 182L * 86_400_000L;

    public static void main(String[] args) throws Exception {
        Path jobsHome = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int rows = Integer.parseInt(args[2]);
        Path run = Files.createDirectories(work.resolve("run-" + System.currentTimeMillis()));
        Process s3 = null;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_wal_size", "4GB")
                .setServerConfig("synchronous_commit", "off").start()) {
            String jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                 InputStream v1 = EtlBench.class.getResourceAsStream("/db/staging/V1__staging_records.sql");
                 InputStream v2 = EtlBench.class.getResourceAsStream("/db/staging/V2__staging_cheaper_writes.sql");
                 InputStream v3 = EtlBench.class.getResourceAsStream("/db/staging/V3__staging_update_order.sql")) {
                st.execute(new String(v1.readAllBytes(), StandardCharsets.UTF_8));
                st.execute("CREATE TABLE staging.records_trace PARTITION OF staging.records FOR VALUES IN ('trace')");
                // staging as ingest-service has it (payload text, the update-order columns the ETL reads)
                st.execute(new String(v2.readAllBytes(), StandardCharsets.UTF_8));
                st.execute(new String(v3.readAllBytes(), StandardCharsets.UTF_8));
            }

            long t0 = System.nanoTime();
            stage(pg, 0, rows, 42);
            double stageSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("staging COPY: %,d rows in %.1f s = %,.0f rows/s%n", rows, stageSeconds, rows / stageSeconds);

            int port = freePort();
            s3 = startS3Proxy(Path.of(args[3]), run, port);
            try (S3Client client = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret")))
                    .build()) {
                client.createBucket(b -> b.bucket("lakehouse"));
            }

            long t1 = System.nanoTime();
            String result = runJob(jobsHome, run, jdbcUrl, port, 0, rows);
            double jobSeconds = (System.nanoTime() - t1) / 1e9;
            long jobMillis = resultField(result, "durationMs");
            if (resultField(result, "rowsWritten") != rows) {
                throw new IllegalStateException("expected " + rows + " rows written, job says: " + result);
            }
            System.out.println("job result: " + result);
            System.out.printf("staging -> Delta (job work, after Spark start): %,d rows in %.1f s = %,.0f rows/s%n",
                    rows, jobMillis / 1000.0, rows / (jobMillis / 1000.0));
            System.out.printf("staging -> Delta (whole launch incl. JVM + Spark start): %.1f s = %,.0f rows/s%n",
                    jobSeconds, rows / jobSeconds);

            // the steady state: a later batch MERGEd into the existing table, a fifth of it re-sent jobs
            int more = Integer.parseInt(System.getenv().getOrDefault("ETL_BENCH_MERGE_ROWS", String.valueOf(rows / 4)));
            if (more > 0) {
                long watermark;
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                     var max = st.executeQuery("SELECT max(id) FROM staging.records_trace")) {
                    max.next();
                    watermark = max.getLong(1);
                    // as etl-service does after a successful run
                    st.execute("DELETE FROM staging.records_trace WHERE id <= " + watermark);
                }
                stage(pg, rows - more / 5, more, 7);
                String merged = runJob(jobsHome, run, jdbcUrl, port, watermark, more);
                long mergeMillis = resultField(merged, "durationMs");
                if (resultField(merged, "rowsInserted") != more - more / 5 || resultField(merged, "rowsUpdated") != more / 5) {
                    throw new IllegalStateException("expected " + (more - more / 5) + " inserted and " + more / 5
                            + " updated, job says: " + merged);
                }
                System.out.printf("MERGE into the existing table (job work): %,d rows (%,d updates) in %.1f s = %,.0f rows/s%n",
                        more, more / 5, mergeMillis / 1000.0, more / (mergeMillis / 1000.0));
            }
        } finally {
            if (s3 != null) {
                s3.destroy();
                s3.waitFor(10, TimeUnit.SECONDS);
            }
            deleteTree(run);
        }
    }

    private static long resultField(String result, String field) {
        return Long.parseLong(result.replaceAll(".*\"" + field + "\":(\\d+).*", "$1"));
    }

    /** Stages {@code rows} trace records for jobs {@code first ..}: re-staging a job makes the ETL update it. */
    private static void stage(EmbeddedPostgres pg, int first, int rows, long seed) throws Exception {
        Random random = new Random(seed);
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            int chunk = 100_000;
            for (int start = first; start < first + rows; start += chunk) {
                StringBuilder sb = new StringBuilder(chunk * 400);
                for (int i = start; i < Math.min(first + rows, start + chunk); i++) {
                    String site = SITES[random.nextInt(SITES.length)];
                    // fixed per job, so that a re-sent job stays in its month partition and is updated in place
                    long end = JAN_2024 + Math.floorMod(i * 2_654_435_761L, SIX_MONTHS_MS);
                    int wall = 600 + random.nextInt(40_000);
                    double eff = 30 + random.nextDouble() * 65;
                    long jobId = 3_100_000_000L + i;
                    sb.append("trace\t").append(jobId).append('\t').append(site).append("\t2024-07-01 00:00:00+00\t")
                            .append("{\"job_id\":").append(jobId)
                            .append(",\"aliencpuefficiency\":").append(String.format("%.2f", eff))
                            .append(",\"cputime\":").append(String.format("%.1f", wall * eff / 100))
                            .append(",\"host\":\"wn").append(random.nextInt(5000)).append('.').append(site.toLowerCase())
                            .append("\",\"maxrss\":").append(500_000 + random.nextInt(3_000_000))
                            .append(",\"cpuefficiency\":").append(String.format("%.2f", eff))
                            .append(",\"finaltimestamp\":").append(end)
                            .append(",\"masterjobid\":").append(3_000_000_000L + i / 100)
                            .append(",\"pid\":").append(1000 + random.nextInt(60_000))
                            .append(",\"requestedcpus\":1,\"requestedttl\":72000")
                            .append(",\"runningtimestamp\":").append(end - wall * 1000L)
                            .append(",\"savingtimestamp\":").append(end - 30_000)
                            .append(",\"startedtimestamp\":").append(end - wall * 1000L - 5_000)
                            .append(",\"walltime\":").append(wall)
                            .append(",\"maxvirt\":").append(2_000_000 + random.nextInt(4_000_000))
                            .append(",\"site\":\"").append(site)
                            .append("\",\"laststatuschangetimestamp\":").append(end).append("}\n");
                }
                copy.copyIn("COPY staging.records (dataset, dedup_key, site, received_at, payload) FROM STDIN",
                        new StringReader(sb.toString()));
            }
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE staging.records_trace");
            }
        }
    }

    private static String runJob(Path jobsHome, Path run, String jdbcUrl, int s3Port, long fromId, int rows)
            throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(jobsHome)) {
            jar = files.filter(p -> p.getFileName().toString().matches("etl-jobs-[^-]+-SNAPSHOT\\.jar|etl-jobs-[0-9.]+\\.jar"))
                    .findFirst().orElseThrow();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + System.getenv().getOrDefault("ETL_SPARK_DRIVER_MEMORY", "4g"));
        cmd.addAll(List.of(Files.readString(jobsHome.resolve("spark-jvm-flags.txt")).strip().split("\\s+")));
        if (rows < Long.parseLong(System.getenv().getOrDefault("ETL_SPARK_QUICK_JIT_BELOW_ROWS", "300000"))) {
            cmd.add("-XX:TieredStopAtLevel=1"); // as etl-service starts a short run
        }
        String extraJvmOptions = System.getenv().getOrDefault("ETL_BENCH_JVM_OPTS", "").strip();
        if (!extraJvmOptions.isEmpty()) {
            cmd.addAll(List.of(extraJvmOptions.split("\\s+")));
        }
        cmd.addAll(List.of("-cp", jar + ":" + Files.readString(jobsHome.resolve("classpath.txt")).strip(),
                "org.apache.spark.deploy.SparkSubmit", "--master", "local[*]",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--class", "ch.cern.alice.lakehouse.etl.job.EtlJobMain", jar.toString(),
                "--dataset=trace", "--run-id=bench-" + fromId, "--from=" + fromId));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(run.resolve("spark.log").toFile());
        pb.environment().put("LAKEHOUSE_DB_URL", jdbcUrl);
        pb.environment().put("LAKEHOUSE_DB_USER", "postgres");
        pb.environment().put("LAKEHOUSE_DB_PASSWORD", "");
        pb.environment().put("LAKEHOUSE_S3_ENDPOINT", "http://127.0.0.1:" + s3Port);
        pb.environment().put("LAKEHOUSE_S3_ACCESS_KEY", "bench");
        pb.environment().put("LAKEHOUSE_S3_SECRET_KEY", "bench-secret");
        pb.environment().put("LAKEHOUSE_S3_BUCKET", "lakehouse");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("  " + line);
                if (line.startsWith("ETL_RESULT ")) {
                    result = line.substring("ETL_RESULT ".length());
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            List<String> log = Files.readAllLines(run.resolve("spark.log"));
            throw new IllegalStateException("job failed (exit " + exit + "):\n"
                    + String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size())));
        }
        return result;
    }

    private static Process startS3Proxy(Path jar, Path run, int port) throws Exception {
        Path props = run.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=bench", "s3proxy.credential=bench-secret",
                "jclouds.provider=filesystem-nio2", "jclouds.filesystem.basedir=" + Files.createDirectories(run.resolve("s3")), ""));
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-jar", jar.toString(), "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(run.resolve("s3proxy.log").toFile()).start();
        for (int i = 0; i < 300; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

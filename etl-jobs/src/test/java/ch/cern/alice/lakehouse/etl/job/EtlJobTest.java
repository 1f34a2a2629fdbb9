package ch.cern.alice.lakehouse.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job against a real Postgres staging schema and Spark in local mode, writing Delta to a local directory
 * (the S3 path is exercised end to end by etl-service's tests).
 */
class EtlJobTest {

    private static final long JUNE_2024 = 1_717_200_000_000L; // 2024-06-01T00:00:00Z
    private static final long JULY_2024 = 1_719_792_000_000L; // 2024-07-01T00:00:00Z

    private static StagingDatabase staging;
    private static SparkSession spark;
    private static Path lake;

    @BeforeAll
    static void start() throws Exception {
        staging = StagingDatabase.start("trace", "jdl");
        lake = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "lake");
        spark = SparkSession.builder().config(EtlJobMain.sparkConf(config("trace", "0", OptionalLong.empty())))
                .master("local[2]").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() throws Exception {
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
    void convertsMergesIdempotentlyRejectsBadRowsAndAggregates() throws Exception {
        long before = maxStagedId();
        stageTrace(0, 200, "CERN");
        stage("trace", "bad-1", "GSI", "{\"job_id\": 9000001, \"finaltimestamp\": 1717200000000, \"cputime\": \"lots\"}");
        stage("trace", "bad-2", "GSI", "{\"job_id\": 9000002, \"cputime\": 12.5}");
        long last = stageTrace(200, 300, "FZK");

        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        JobResult result = job(lines).run(config("trace", "run-1", OptionalLong.empty()).withRange(before, last));

        assertThat(result.rowsRead()).isEqualTo(302);
        assertThat(result.rowsRejected()).isEqualTo(2);
        assertThat(result.rowsWritten()).isEqualTo(300);
        assertThat(result.filesWritten()).isPositive();
        assertThat(result.deltaVersion()).isZero();
        assertThat(result.touchedPartitions()).containsExactly("year=2024/month=6", "year=2024/month=7");
        assertThat(lines.toString(StandardCharsets.UTF_8)).contains("ETL_PROGRESS {\"phase\":\"merging\",\"percent\":50}");
        // the versioning commit pins the summary table next to the dataset table (issue #18)
        assertThat(result.tableVersions()).containsExactly(Map.entry("trace", 0L), Map.entry("trace_daily_site", 0L));
        assertThat(ProgressReporter.toJson(result.toMap())).contains("\"tables\":{\"trace\":0,\"trace_daily_site\":0}");

        StructType schema = spark.read().format("delta").load(lake + "/trace").schema();
        assertThat(schema.apply("finaltimestamp").dataType()).isEqualTo(DataTypes.TimestampType);
        assertThat(schema.apply("job_id").dataType()).isEqualTo(DataTypes.LongType);
        assertThat(schema.apply("walltime").dataType()).isEqualTo(DataTypes.IntegerType);
        assertThat(Arrays.asList(schema.fieldNames())).contains("year", "month", "_site", "_received_at", "_etl_run_id",
                "_kafka_partition", "_kafka_offset");
        assertThat(Files.isDirectory(lake.resolve("trace/year=2024/month=6"))).isTrue();
        assertThat(Files.isDirectory(lake.resolve("trace/year=2024/month=7"))).isTrue();

        assertCompactLayout(lake.resolve("trace"));

        Row job5 = spark.read().format("delta").load(lake + "/trace").where("job_id = 5").first();
        assertThat(job5.<Timestamp>getAs("finaltimestamp").getTime()).isEqualTo(JUNE_2024 + 5 * 1000);
        assertThat(job5.<String>getAs("_site")).isEqualTo("CERN");
        assertThat(job5.<String>getAs("_etl_run_id")).isEqualTo("run-1");

        List<Row> rejects = spark.read().format("delta").load(lake + "/_rejects/trace").orderBy("dedup_key").collectAsList();
        assertThat(rejects).hasSize(2);
        assertThat(rejects.get(0).<String>getAs("reason")).contains("cputime").contains("lots");
        assertThat(rejects.get(1).<String>getAs("reason")).isEqualTo("missing required field finaltimestamp");
        assertThat(rejects.get(1).<String>getAs("payload")).contains("9000002");

        // each FZK job: cputime 50, walltime 100, 2 cores -> 25 % weighted; 100 jobs in July
        Row fzk = spark.read().format("delta").load(lake + "/trace_daily_site").where("site = 'FZK'")
                .selectExpr("sum(jobs)", "min(cpu_efficiency_weighted)", "max(cpu_efficiency_weighted)", "max(month)")
                .first();
        assertThat(fzk.getLong(0)).isEqualTo(100);
        assertThat(fzk.getDouble(1)).isEqualTo(25.0);
        assertThat(fzk.getDouble(2)).isEqualTo(25.0);
        assertThat(fzk.getInt(3)).isEqualTo(7);

        // the same batch again (a crash after the Delta commit): nothing is newer than the stored rows, so nothing
        // is added or updated
        JobResult rerun = job(new ByteArrayOutputStream()).run(config("trace", "run-2", OptionalLong.empty())
                .withRange(before, last));
        assertThat(rerun.rowsInserted()).isZero();
        assertThat(rerun.rowsUpdated()).isZero();
        assertThat(spark.read().format("delta").load(lake + "/trace").where("_etl_run_id <> 'run-1'").count())
                .isZero();
        assertThat(spark.read().format("delta").load(lake + "/trace").count()).isEqualTo(300);
        assertThat(spark.read().format("delta").load(lake + "/_rejects/trace").count()).isEqualTo(2);
        assertThat(spark.read().format("delta").load(lake + "/trace_daily_site")
                .selectExpr("sum(jobs)").first().getLong(0)).isEqualTo(300);

        // the caller deletes the migrated range; re-sent keys (received later) update, new keys insert; no --to:
        // the job claims
        try (Connection c = staging.connection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM staging.records_trace WHERE id <= " + last);
        }
        stageTrace(250, 320, "FZK");
        JobResult claimed = job(new ByteArrayOutputStream()).run(config("trace", "run-3", OptionalLong.empty(),
                "--from=" + last));
        assertThat(claimed.watermarkFrom()).isEqualTo(last);
        assertThat(claimed.watermarkTo()).isEqualTo(last + 70);
        assertThat(claimed.rowsInserted()).isEqualTo(20);
        assertThat(claimed.rowsUpdated()).isEqualTo(50);
        assertThat(spark.read().format("delta").load(lake + "/trace").count()).isEqualTo(320);
        long summaryVersion = claimed.tableVersions().get("trace_daily_site");
        assertThat(claimed.tableVersions()).containsEntry("trace", claimed.deltaVersion());
        assertThat(summaryVersion).as("the summary's version after this run").isPositive()
                .isEqualTo(io.delta.tables.DeltaTable.forPath(spark, lake + "/trace_daily_site").history(1)
                        .select("version").first().getLong(0));
        assertThat(spark.read().format("delta").option("versionAsOf", summaryVersion)
                .load(lake + "/trace_daily_site").selectExpr("sum(jobs)").first().getLong(0)).isEqualTo(320);
    }

    @Test
    void derivesJdlColumns() throws Exception {
        String jdl = "Executable = aliroot;\\n# comment\\nUser = alidaq;\\nTTL = 3600;\\nMemorySize = 8GB;\\n"
                + "CPUCores = 8;\\nPrice = 1.5;";
        long id = stage("jdl", "42", "CERN",
                "{\"job_id\": 42, \"submit_timestamp\": 1717200000, \"jdl_text\": \"" + jdl + "\"}");
        JobResult result = job(new ByteArrayOutputStream()).run(config("jdl", "run-j", OptionalLong.of(id))
                .withRange(id - 1, id));
        assertThat(result.rowsWritten()).isEqualTo(1);
        Row row = spark.read().format("delta").load(lake + "/jdl").first();
        assertThat(row.<String>getAs("user_name")).isEqualTo("alidaq");
        assertThat(row.<Long>getAs("ttl")).isEqualTo(3600L);
        assertThat(row.<Long>getAs("memory_mb")).isEqualTo(8192L);
        assertThat(row.<Integer>getAs("cpu_cores")).isEqualTo(8);
        assertThat(row.<Double>getAs("price")).isEqualTo(1.5);
        assertThat(row.<String>getAs("jdl_text")).contains("aliroot");
        assertThat(row.<Timestamp>getAs("submit_timestamp").getTime()).isEqualTo(1_717_200_000_000L);
    }

    private EtlJob job(ByteArrayOutputStream lines) {
        return new EtlJob(spark, new ProgressReporter(new PrintStream(lines, true, StandardCharsets.UTF_8)));
    }

    /**
     * Timestamps as INT64 microseconds, no dictionary for doubles and timestamps (kept for strings), Delta file
     * statistics only for the key, the time field and the site.
     */
    private static void assertCompactLayout(Path table) throws Exception {
        String log = Files.readString(table.resolve("_delta_log/00000000000000000000.json"));
        assertThat(log).contains("\"delta.dataSkippingStatsColumns\":\"job_id,finaltimestamp,_site\"");
        assertThat(log).contains("\\\"minValues\\\":{\\\"job_id\\\"").doesNotContain("\\\"cputime\\\":");

        Path dataFile;
        try (var files = Files.walk(table.resolve("year=2024/month=6"))) {
            dataFile = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        var conf = new org.apache.hadoop.conf.Configuration();
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                        new org.apache.hadoop.fs.Path(dataFile.toUri()), conf))) {
            var footer = reader.getFooter();
            var finalTime = footer.getFileMetaData().getSchema().getType("finaltimestamp").asPrimitiveType();
            assertThat(finalTime.getPrimitiveTypeName().name()).isEqualTo("INT64");
            assertThat(finalTime.getLogicalTypeAnnotation().toString()).contains("MICROS");
            Map<String, String> encodings = new java.util.HashMap<>();
            footer.getBlocks().get(0).getColumns().forEach(c -> encodings.put(c.getPath().toDotString(),
                    c.getEncodings().toString()));
            assertThat(encodings.get("cputime")).doesNotContain("DICTIONARY");
            assertThat(encodings.get("finaltimestamp")).doesNotContain("DICTIONARY");
            assertThat(encodings.get("_site")).contains("DICTIONARY");
        }
    }

    private static JobConfig config(String dataset, String runId, OptionalLong to, String... extraArgs) {
        String[] args = new String[2 + extraArgs.length];
        args[0] = "--dataset=" + dataset;
        args[1] = "--run-id=" + runId;
        System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
        return JobConfig.from(args, Map.of(
                "LAKEHOUSE_DB_URL", staging == null ? "jdbc:postgresql://127.0.0.1:1/x" : staging.jdbcUrl(),
                "LAKEHOUSE_DB_USER", "postgres",
                "LAKEHOUSE_DB_PASSWORD", "postgres",
                "ETL_TABLE_ROOT", lake == null ? "/nonexistent" : lake.toString()));
    }

    /** Jobs [from, to): June for CERN, July for FZK. @return the id of the last staged row */
    private static long stageTrace(int from, int to, String site) throws Exception {
        long last = 0;
        for (int i = from; i < to; i++) {
            long time = (site.equals("CERN") ? JUNE_2024 : JULY_2024) + i * 1000L;
            last = stage("trace", String.valueOf(i), site, "{\"job_id\": " + i + ", \"finaltimestamp\": " + time
                    + ", \"cputime\": 50.0, \"walltime\": 100, \"requestedcpus\": 2, \"cpuefficiency\": 25.0,"
                    + " \"maxrss\": " + (1000 + i) + ", \"site\": \"" + site + "\", \"host\": \"wn" + i + "\"}");
        }
        return last;
    }

    private static long maxStagedId() throws Exception {
        try (Connection c = staging.connection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM staging.records")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long stage(String dataset, String key, String site, String payload) throws Exception {
        try (Connection c = staging.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO staging.records (dataset, dedup_key, site,"
                     + " received_at, payload) VALUES (?, ?, ?, now(), ?) RETURNING id")) {
            ps.setString(1, dataset);
            ps.setString(2, key);
            ps.setString(3, site);
            ps.setString(4, payload);
            var rs = ps.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }
}

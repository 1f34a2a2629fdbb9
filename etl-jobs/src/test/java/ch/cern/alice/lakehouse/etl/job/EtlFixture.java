package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.record.DedupKey;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real staging (zonky Postgres), Spark in local mode and Delta tables in a local directory, driven the way
 * etl-service drives a run: claim (watermark, max(id)], run the job, delete the migrated rows, advance the
 * watermark.
 */
final class EtlFixture implements AutoCloseable {

    final StagingDatabase staging;
    final SparkSession spark;
    final Path lake;
    private final Map<String, Long> watermarks = new HashMap<>();
    private int runs;

    EtlFixture(String... datasets) throws Exception {
        staging = StagingDatabase.start(datasets);
        lake = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "lake");
        spark = SparkSession.builder().config(EtlJobMain.sparkConf(config("trace", "0", lake)))
                .master("local[2]").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    JobConfig config(String dataset, String runId, Path root) {
        return JobConfig.from(new String[]{"--dataset=" + dataset, "--run-id=" + runId}, Map.of(
                "LAKEHOUSE_DB_URL", staging.jdbcUrl(),
                "LAKEHOUSE_DB_USER", "postgres",
                "LAKEHOUSE_DB_PASSWORD", "postgres",
                "ETL_TABLE_ROOT", root.toString()));
    }

    /** One ETL run over everything staged since the last one, into {@link #lake}. */
    JobResult run(String dataset) throws Exception {
        return run(dataset, lake);
    }

    JobResult run(String dataset, Path root) throws Exception {
        long from = watermarks.getOrDefault(dataset, 0L);
        long to = Math.max(from, staging.maxId(dataset));
        JobResult result = runRange(dataset, root, from, to);
        staging.deleteUpTo(dataset, to);
        watermarks.put(dataset, to);
        return result;
    }

    /** A run of a range without deleting it afterwards (as a run that died after its commit leaves it). */
    JobResult runRange(String dataset, Path root, long from, long to) throws Exception {
        JobConfig config = config(dataset, "run-" + ++runs, root).withRange(from, to);
        return new EtlJob(spark, new ProgressReporter(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8))).run(config);
    }

    String lastRunId() {
        return "run-" + runs;
    }

    long watermark(String dataset) {
        return watermarks.getOrDefault(dataset, 0L);
    }

    Dataset<Row> table(String name) {
        return table(lake, name);
    }

    Dataset<Row> table(Path root, String name) {
        return spark.read().format("delta").load(root + "/" + name);
    }

    /**
     * A job_info record staged as ingest would: dedup key site|job_id, the order field's value as ordered_at.
     *
     * @param stateChangeMs the order field (state_change_timestamp), or null when the record does not send it
     */
    long stageJob(String site, long jobId, String status, long submitSeconds, Long stateChangeMs,
                  Instant receivedAt, Integer kafkaPartition, Long kafkaOffset) throws Exception {
        String payload = "{\"job_id\": " + jobId + ", \"site\": \"" + site + "\", \"status\": \"" + status
                + "\", \"job_submit_timestamp\": " + submitSeconds
                + (stateChangeMs == null ? "" : ", \"state_change_timestamp\": " + stateChangeMs) + "}";
        return staging.stageNewest("job_info", DedupKey.of(site, List.of(jobId)), site, receivedAt,
                stateChangeMs == null ? null : Instant.ofEpochMilli(stateChangeMs), kafkaPartition, kafkaOffset,
                payload);
    }

    /** The stored job_info rows of a job: (site, status, month) sorted by site. */
    List<Row> jobRows(long jobId) {
        return table("job_info").where("job_id = " + jobId).orderBy("_site").collectAsList();
    }

    @Override
    public void close() throws Exception {
        try {
            spark.stop();
            staging.close();
        } finally {
            try (var paths = Files.walk(lake)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

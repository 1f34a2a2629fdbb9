package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.etl.job.EtlJobMain;
import ch.cern.alice.lakehouse.etl.job.JobConfig;
import ch.cern.alice.lakehouse.etl.job.ProgressReporter;
import ch.cern.alice.lakehouse.etl.job.RunHandlers;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OPTIMIZE and VACUUM on real Delta tables (Spark local mode, tables in a local directory). */
class MaintenanceJobsTest {

    private static SparkSession spark;
    private static Path lake;

    @BeforeAll
    static void start() throws Exception {
        lake = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "lake-maint");
        JobConfig config = JobConfig.from(new String[]{"--dataset=trace", "--run-id=0"},
                Map.of("ETL_TABLE_ROOT", lake.toString()));
        spark = SparkSession.builder().config(EtlJobMain.sparkConf(config)).master("local[2]")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) {
            spark.stop();
        }
        if (lake != null) {
            try (var paths = Files.walk(lake)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One small append: rows [first, first+count) in one file per (year, month). */
    private static void append(String path, int year, int month, long first, int count, String mode) {
        spark.range(first, first + count).selectExpr("id AS job_id", year + " AS year", month + " AS month",
                        "concat('host-', id) AS host", "id * 1.5 AS cputime")
                .coalesce(1).write().format("delta").mode(mode).partitionBy("year", "month").save(path);
    }

    @Test
    void optimizeCompactsBusyPartitionsAndKeepsEveryRow() {
        String path = lake.resolve("trace").toString();
        for (int i = 0; i < 18; i++) {
            append(path, 2024, 6, i * 10L, 10, "append");
            append(path, 2024, 7, 1000 + i * 10L, 10, "append");
        }
        for (int i = 0; i < 3; i++) {
            append(path, 2024, 8, 5000 + i * 10L, 10, "append");
        }
        List<Row> rowsBefore = spark.read().format("delta").load(path).orderBy("job_id").collectAsList();
        assertThat(LakeFiles.liveFilesPerPartition(spark, path))
                .containsEntry("year=2024/month=6", 18).containsEntry("year=2024/month=7", 18)
                .containsEntry("year=2024/month=8", 3);

        MaintenanceResult result = MaintenanceJobs.run(spark, new MaintenanceRequest(MaintenanceRequest.OPTIMIZE,
                "1", "trace", path, List.of(), 16, 0, false));

        assertThat(result.partitions()).containsExactly("year=2024/month=6", "year=2024/month=7");
        assertThat(result.filesBefore()).isEqualTo(39);
        assertThat(result.filesAfter()).isEqualTo(5); // one file each for June and July, August untouched
        assertThat(result.committed()).isTrue();
        assertThat(result.deltaVersion()).as("one version for both partitions").isEqualTo(39 + 1 - 1);
        assertThat(LakeFiles.liveFilesPerPartition(spark, path))
                .containsEntry("year=2024/month=6", 1).containsEntry("year=2024/month=7", 1)
                .containsEntry("year=2024/month=8", 3);
        Dataset<Row> after = spark.read().format("delta").load(path);
        assertThat(after.count()).isEqualTo(rowsBefore.size()).isEqualTo(390);
        assertThat(after.orderBy("job_id").collectAsList()).isEqualTo(rowsBefore);
        assertThat(result.toJson()).contains("\"kind\":\"optimize\"", "\"filesBefore\":39", "\"filesAfter\":5");

        // below the threshold nothing happens and no version is committed
        MaintenanceResult again = MaintenanceJobs.run(spark, new MaintenanceRequest(MaintenanceRequest.OPTIMIZE,
                "2", "trace", path, List.of(), 16, 0, false));
        assertThat(again.partitions()).isEmpty();
        assertThat(again.committed()).isFalse();
        assertThat(again.deltaVersion()).isEqualTo(result.deltaVersion());
    }

    @Test
    void vacuumKeepsThePinnedVersionReadableAndRemovesUnpinnedFiles() throws Exception {
        String path = lake.resolve("job_info").toString();
        append(path, 2024, 6, 0, 100, "append");          // version 0: files A
        append(path, 2024, 6, 100, 50, "overwrite");      // version 1: A removed, files B
        append(path, 2024, 6, 200, 20, "overwrite");      // version 2: B removed, files C
        // a tag pins version 1, superseded seconds ago: the horizon asks for a retention of a few seconds, which
        // Delta would round to 0 hours; the job rounds up to 1 hour and keeps it readable
        double horizonHours = 5.0 / 3600;

        assertThatThrownBy(() -> MaintenanceJobs.run(spark, new MaintenanceRequest(MaintenanceRequest.VACUUM, "3",
                "job_info", path, List.of(), 0, horizonHours, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ETL_VACUUM_ALLOW_BELOW_SAFETY");

        // as a one-shot job runs it (EtlJobMain --kind=vacuum): the registry's handler, the arguments as its fields
        EtlJobMain.OneShot oneShot = EtlJobMain.oneShot(new String[]{"--kind=vacuum", "--run-id=4",
                "--dataset=job_info", "--retain-hours=" + horizonHours, "--allow-below-safety=true"},
                Map.of("ETL_TABLE_ROOT", lake.toString()), RunHandlers.defaults());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressReporter progress = new ProgressReporter(new PrintStream(out, true, StandardCharsets.UTF_8));
        progress.result(oneShot.handler().run(spark, oneShot.request(), oneShot.config(), progress));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("ETL_RESULT {\"kind\":\"vacuum\"")
                .contains("\"retainHours\":1.0", "\"filesBefore\":3", "\"filesRemoved\":0");
        assertThat(spark.read().format("delta").option("versionAsOf", 1).load(path).count()).isEqualTo(50);

        // the tag is gone, nothing pins an old version: the removed files go, the current version stays
        MaintenanceResult removed = MaintenanceJobs.run(spark, new MaintenanceRequest(MaintenanceRequest.VACUUM, "5",
                "job_info", path, List.of(), 0, 0, true));
        assertThat(removed.filesRemoved()).isEqualTo(2);
        assertThat(removed.bytesRemoved()).isPositive();
        assertThat(spark.read().format("delta").load(path).count()).isEqualTo(20);
        // (a count alone may be answered from the log's statistics: read the rows)
        assertThatThrownBy(() -> spark.read().format("delta").option("versionAsOf", 1).load(path).collectAsList())
                .hasMessageContaining("part-");
    }

    @Test
    void partitionNamesBecomeTypedConditions() {
        assertThat(OptimizeJob.whereClause("year=2024/month=6")).isEqualTo("`year` = 2024 AND `month` = 6");
        assertThat(OptimizeJob.whereClause("site=CERN%27x")).isEqualTo("`site` = 'CERN\\'x'");
        assertThat(OptimizeJob.whereClause("")).isNull();
        assertThat(LakeFiles.partitionOf("s3a://lake/trace/year=2024/month=6/part-0.parquet"))
                .isEqualTo("year=2024/month=6");
    }
}

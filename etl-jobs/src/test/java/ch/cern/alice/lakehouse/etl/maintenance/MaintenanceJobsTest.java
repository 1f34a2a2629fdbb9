package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.etl.job.EtlJobMain;
import ch.cern.alice.lakehouse.etl.job.JobConfig;
import io.delta.tables.DeltaTable;
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
import java.sql.Timestamp;
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
    void vacuumKeepsThePinnedVersionReadableAndRemovesOlderFiles() throws Exception {
        String path = lake.resolve("job_info").toString();
        append(path, 2024, 6, 0, 100, "append");          // version 0: files A
        append(path, 2024, 6, 100, 50, "overwrite");      // version 1: A removed, files B
        Thread.sleep(9000);
        append(path, 2024, 6, 200, 20, "overwrite");      // version 2: B removed, files C
        DeltaTable table = DeltaTable.forPath(spark, path);
        // a tag pins version 1: its files were removed by version 2; versioning-service's horizon asks for a
        // retention above the age of version 2's commit, etl-service adds a margin (here 5 s: a remove action is
        // stamped when the write starts, a little before its commit)
        Timestamp supersededAt = table.history().where("version = 2").select("timestamp").first().getTimestamp(0);
        double retainHours = (System.currentTimeMillis() - supersededAt.getTime() + 5000) / 3_600_000.0;

        assertThatThrownBy(() -> MaintenanceJobs.run(spark, new MaintenanceRequest(MaintenanceRequest.VACUUM, "3",
                "job_info", path, List.of(), 0, retainHours, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ETL_VACUUM_ALLOW_BELOW_SAFETY");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MaintenanceResult result = MaintenanceJobs.runOneShot(spark, new String[]{"--kind=vacuum", "--run-id=4",
                        "--dataset=job_info", "--retain-hours=" + retainHours, "--allow-below-safety=true"}, path,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("ETL_RESULT {\"kind\":\"vacuum\"");
        assertThat(result.filesBefore()).isEqualTo(3);
        assertThat(result.filesRemoved()).isEqualTo(1); // version 0's file
        assertThat(result.bytesRemoved()).isPositive();
        assertThat(spark.read().format("delta").option("versionAsOf", 1).load(path).count()).isEqualTo(50);
        assertThat(spark.read().format("delta").load(path).count()).isEqualTo(20);
        assertThatThrownBy(() -> spark.read().format("delta").option("versionAsOf", 0).load(path).count())
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

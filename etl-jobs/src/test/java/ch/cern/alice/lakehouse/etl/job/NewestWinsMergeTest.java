package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MERGE rule across ETL runs, on real staging, Spark and Delta: for a site's key the newest record wins
 * (order field, then receive time, then Kafka partition and offset, nulls lowest), whatever partition its time
 * field maps to; the summary tables follow; re-running a range changes nothing.
 */
class NewestWinsMergeTest {

    private static final long JUNE = 1_717_200_000L; // 2024-06-01T00:00:00Z, epoch seconds
    private static final long JULY = 1_719_792_000L; // 2024-07-01T00:00:00Z
    private static final long STATE_TIME = 1_718_000_000_000L; // epoch ms
    private static final Instant T0 = Instant.parse("2024-06-10T00:00:00Z");

    private static EtlFixture etl;

    @BeforeAll
    static void start() throws Exception {
        etl = new EtlFixture("job_info");
    }

    @AfterAll
    static void stop() throws Exception {
        if (etl != null) {
            etl.close();
        }
    }

    @Test
    void aLaterStateSentInALaterRunReplacesTheStoredOne() throws Exception {
        etl.stageJob("CERN", 101, "RUNNING", JUNE + 100, STATE_TIME + 1, T0, 0, 10L);
        etl.run("job_info");
        etl.stageJob("CERN", 101, "DONE", JUNE + 100, STATE_TIME + 2, T0.plusSeconds(60), 0, 11L);
        JobResult second = etl.run("job_info");

        assertThat(second.rowsInserted()).isZero();
        assertThat(second.rowsUpdated()).isEqualTo(1);
        List<Row> rows = etl.jobRows(101);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).<String>getAs("status")).isEqualTo("DONE");
        assertThat(rows.get(0).<Timestamp>getAs("state_change_timestamp").getTime()).isEqualTo(STATE_TIME + 2);
        assertThat(rows.get(0).<Integer>getAs(LakeSchema.KAFKA_PARTITION)).isZero();
        assertThat(rows.get(0).<Long>getAs(LakeSchema.KAFKA_OFFSET)).isEqualTo(11L);
    }

    @Test
    void aLateOlderStateNeverMovesAJobBack() throws Exception {
        etl.stageJob("CERN", 102, "DONE", JUNE + 100, STATE_TIME + 5, T0, 0, 20L);
        etl.run("job_info");
        String firstRun = etl.lastRunId();
        // RUNNING happened before DONE but arrives later, from a later Kafka offset
        etl.stageJob("CERN", 102, "RUNNING", JUNE + 100, STATE_TIME + 3, T0.plusSeconds(600), 1, 900L);
        JobResult second = etl.run("job_info");

        assertThat(second.rowsRead()).isEqualTo(1);
        assertThat(second.rowsInserted()).isZero();
        assertThat(second.rowsUpdated()).isZero();
        Row row = etl.jobRows(102).get(0);
        assertThat(row.<String>getAs("status")).isEqualTo("DONE");
        assertThat(row.<Long>getAs(LakeSchema.KAFKA_OFFSET)).isEqualTo(20L);
        assertThat(row.<String>getAs(LakeSchema.RUN_ID)).isEqualTo(firstRun);
    }

    @Test
    void onEqualOrderValuesReceiveTimeThenKafkaPositionDecideAndAMissingOrderValueIsLowest() throws Exception {
        // same state change time: the later receive time wins, an earlier one does not
        etl.stageJob("CERN", 103, "SAVED", JUNE, STATE_TIME + 7, T0, 0, 1L);
        etl.run("job_info");
        etl.stageJob("CERN", 103, "DONE", JUNE, STATE_TIME + 7, T0.plusSeconds(1), 0, 2L);
        assertThat(etl.run("job_info").rowsUpdated()).isEqualTo(1);
        etl.stageJob("CERN", 103, "ERROR_E", JUNE, STATE_TIME + 7, T0.minusSeconds(1), 5, 99L);
        assertThat(etl.run("job_info").rowsUpdated()).isZero();
        assertThat(etl.jobRows(103).get(0).<String>getAs("status")).isEqualTo("DONE");

        // same order value and receive time: Kafka partition, then offset
        etl.stageJob("CERN", 104, "SAVED", JUNE, STATE_TIME + 7, T0, 1, 5L);
        etl.run("job_info");
        etl.stageJob("CERN", 104, "DONE", JUNE, STATE_TIME + 7, T0, 1, 6L);
        assertThat(etl.run("job_info").rowsUpdated()).isEqualTo(1);
        etl.stageJob("CERN", 104, "ERROR_E", JUNE, STATE_TIME + 7, T0, 0, 999L);
        assertThat(etl.run("job_info").rowsUpdated()).isZero();
        assertThat(etl.jobRows(104).get(0).<String>getAs("status")).isEqualTo("DONE");

        // a record without the order field loses against one with it, even when received later
        etl.stageJob("CERN", 105, "RUNNING", JUNE, null, T0, null, null);
        etl.run("job_info");
        etl.stageJob("CERN", 105, "DONE", JUNE, STATE_TIME, T0.plusSeconds(1), null, null);
        assertThat(etl.run("job_info").rowsUpdated()).isEqualTo(1);
        etl.stageJob("CERN", 105, "RUNNING", JUNE, null, T0.plusSeconds(3600), 0, 1L);
        assertThat(etl.run("job_info").rowsUpdated()).isZero();
        assertThat(etl.jobRows(105).get(0).<String>getAs("status")).isEqualTo("DONE");
    }

    @Test
    void aResendThatMovesMonthsReplacesTheRowAndTheOldMonthsSummaryNoLongerCountsIt() throws Exception {
        etl.stageJob("GSI", 201, "RUNNING", JUNE + 3600, STATE_TIME + 1, T0, 0, 30L);
        etl.run("job_info");
        assertThat(summaryJobs("GSI", 6)).isEqualTo(1);

        etl.stageJob("GSI", 201, "DONE", JULY + 3600, STATE_TIME + 2, T0.plusSeconds(60), 0, 31L);
        JobResult moved = etl.run("job_info");

        assertThat(moved.rowsUpdated()).isEqualTo(1);
        assertThat(moved.rowsInserted()).isZero();
        assertThat(moved.touchedPartitions()).contains("year=2024/month=6", "year=2024/month=7");
        List<Row> rows = etl.jobRows(201);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).<Integer>getAs("month")).isEqualTo(7);
        assertThat(rows.get(0).<String>getAs("status")).isEqualTo("DONE");
        assertThat(etl.table("job_info").where("year = 2024 AND month = 6 AND job_id = 201").count()).isZero();
        assertThat(summaryJobs("GSI", 6)).isZero();
        assertThat(summaryJobs("GSI", 7)).isEqualTo(1);
        assertSummaryEqualsRecomputation();
    }

    /**
     * A run that died after its MERGE committed (before the summaries) leaves the moved row's old month counted;
     * the re-run's MERGE changes nothing, yet the summaries catch up from the Delta log.
     */
    @Test
    void aRerunAfterACrashBetweenMergeAndSummariesStillRecomputesTheMonthARowLeft() throws Exception {
        etl.stageJob("KISTI", 202, "RUNNING", JUNE + 7200, STATE_TIME + 1, T0, 0, 40L);
        etl.run("job_info");
        assertThat(summaryJobs("KISTI", 6)).isEqualTo(1);

        etl.stageJob("KISTI", 202, "DONE", JULY + 7200, STATE_TIME + 2, T0.plusSeconds(60), 0, 41L);
        long from = etl.watermark("job_info");
        long to = etl.staging.maxId("job_info");
        mergeOnly(from, to);
        assertThat(etl.jobRows(202).get(0).<Integer>getAs("month")).isEqualTo(7);
        assertThat(summaryJobs("KISTI", 6)).as("stale before the re-run").isEqualTo(1);

        JobResult rerun = etl.run("job_info");
        assertThat(rerun.rowsUpdated()).isZero();
        assertThat(summaryJobs("KISTI", 6)).isZero();
        assertThat(summaryJobs("KISTI", 7)).isEqualTo(1);
        assertSummaryEqualsRecomputation();
    }

    @Test
    void theSameJobIdFromTwoSitesIsTwoRecordsAndOneSiteNeverReplacesTheOthers() throws Exception {
        etl.stageJob("CERN", 401, "RUNNING", JUNE, STATE_TIME + 1, T0, 0, 50L);
        etl.stageJob("FZK", 401, "RUNNING", JUNE, STATE_TIME + 1, T0, 0, 51L);
        JobResult first = etl.run("job_info");
        assertThat(first.rowsRead()).isEqualTo(2);
        // FZK's newer record changes FZK's row only
        etl.stageJob("FZK", 401, "DONE", JUNE, STATE_TIME + 9, T0.plusSeconds(60), 0, 52L);
        JobResult second = etl.run("job_info");

        assertThat(second.rowsUpdated()).isEqualTo(1);
        List<Row> rows = etl.jobRows(401);
        assertThat(rows).extracting(r -> r.<String>getAs(LakeSchema.SITE) + ":" + r.<String>getAs("status"))
                .containsExactly("CERN:RUNNING", "FZK:DONE");
    }

    @Test
    void reRunningTheSameRangeChangesNothing() throws Exception {
        etl.stageJob("CERN", 501, "RUNNING", JUNE, STATE_TIME + 1, T0, 0, 60L);
        etl.stageJob("CERN", 502, "RUNNING", JUNE, STATE_TIME + 1, T0, 0, 61L);
        etl.run("job_info");
        etl.stageJob("CERN", 501, "DONE", JULY, STATE_TIME + 2, T0.plusSeconds(1), 0, 62L);
        etl.stageJob("CERN", 503, "WAITING", JUNE, STATE_TIME + 1, T0.plusSeconds(1), 0, 63L);
        long from = etl.watermark("job_info");
        long to = etl.staging.maxId("job_info");

        JobResult once = etl.runRange("job_info", etl.lake, from, to);
        assertThat(once.rowsInserted()).isEqualTo(1);
        assertThat(once.rowsUpdated()).isEqualTo(1);
        List<Row> after = jobs("501, 502, 503");
        List<Row> summary = summary();

        JobResult twice = etl.runRange("job_info", etl.lake, from, to);
        assertThat(twice.rowsInserted()).isZero();
        assertThat(twice.rowsUpdated()).isZero();
        assertThat(jobs("501, 502, 503")).isEqualTo(after);
        assertThat(summary()).isEqualTo(summary);
        JobResult thrice = etl.run("job_info");
        assertThat(thrice.rowsWritten()).isZero();
        assertThat(jobs("501, 502, 503")).isEqualTo(after);
        assertThat(after).extracting(r -> r.<String>getAs("status")).containsExactly("DONE", "RUNNING", "WAITING");
    }

    /**
     * A table written before the lineage columns and the order field existed gets them on its next MERGE; its
     * stored rows have none, which the MERGE rule treats as lowest.
     */
    @Test
    void aTableWrittenBeforeTheNewColumnsGainsThemOnItsNextMerge() throws Exception {
        Path root = etl.lake.resolve("old-layout");
        DatasetDescriptor jobInfo = DatasetCatalog.load().get("job_info");
        List<String> newColumns = List.of("state_change_timestamp", LakeSchema.KAFKA_PARTITION,
                LakeSchema.KAFKA_OFFSET);
        StructType full = LakeSchema.table(jobInfo);
        StructType old = new StructType(Arrays.stream(full.fields())
                .filter(f -> !newColumns.contains(f.name())).toArray(StructField[]::new));
        List<Row> stored = new ArrayList<>();
        for (long job : new long[]{601, 602}) {
            Object[] values = new Object[old.size()];
            values[old.fieldIndex("job_id")] = job;
            values[old.fieldIndex("status")] = "RUNNING";
            values[old.fieldIndex("job_submit_timestamp")] = new Timestamp((JUNE + 100) * 1000);
            values[old.fieldIndex("year")] = 2024;
            values[old.fieldIndex("month")] = 6;
            values[old.fieldIndex(LakeSchema.SITE)] = "CERN";
            values[old.fieldIndex(LakeSchema.RECEIVED_AT)] = Timestamp.from(T0.plusSeconds(3600));
            values[old.fieldIndex(LakeSchema.RUN_ID)] = "old-run";
            stored.add(RowFactory.create(values));
        }
        etl.spark.createDataFrame(stored, old).write().format("delta").partitionBy("year", "month")
                .save(root + "/job_info");

        // received before the stored row, but it carries the order field the stored row lacks
        etl.stageJob("CERN", 601, "DONE", JUNE + 100, STATE_TIME, T0, 2, 70L);
        etl.stageJob("CERN", 603, "WAITING", JUNE + 100, STATE_TIME, T0, 2, 71L);
        JobResult result = etl.run("job_info", root);

        assertThat(result.rowsUpdated()).isEqualTo(1);
        assertThat(result.rowsInserted()).isEqualTo(1);
        Dataset<Row> table = etl.table(root, "job_info");
        assertThat(table.columns()).contains("state_change_timestamp", LakeSchema.KAFKA_PARTITION,
                LakeSchema.KAFKA_OFFSET);
        List<Row> rows = table.orderBy("job_id").collectAsList();
        assertThat(rows).extracting(r -> r.<String>getAs("status")).containsExactly("DONE", "RUNNING", "WAITING");
        assertThat(rows.get(0).<Long>getAs(LakeSchema.KAFKA_OFFSET)).isEqualTo(70L);
        assertThat(rows.get(0).<Integer>getAs(LakeSchema.KAFKA_PARTITION)).isEqualTo(2);
        assertThat(rows.get(1).<Long>getAs(LakeSchema.KAFKA_OFFSET)).isNull();
        assertThat(rows.get(1).<Timestamp>getAs("state_change_timestamp")).isNull();
    }

    /** The MERGE of a run over (from, to] without the summaries: a run that died right after its commit. */
    private static void mergeOnly(long from, long to) {
        DatasetDescriptor jobInfo = DatasetCatalog.load().get("job_info");
        JobConfig config = etl.config("job_info", "crashed-run", etl.lake).withRange(from, to);
        Dataset<Row> rows = StagedRowConversion.convert(StagingReader.read(etl.spark, config, from, to), jobInfo,
                config.runId()).where(col(LakeSchema.REJECT_REASON).isNull()).select(EtlJob.tableColumns(jobInfo));
        DeltaTables.upsert(etl.spark, config.tablePath("job_info"), rows, EtlJob.newestWins(jobInfo, Set.of(), null),
                jobInfo.partitionColumns(), Map.of());
    }

    private static long summaryJobs(String site, int month) {
        Row sum = etl.table("job_info_daily_status").where(col("site").equalTo(site).and(col("month").equalTo(month)))
                .selectExpr("coalesce(sum(jobs), 0)").first();
        return sum.getLong(0);
    }

    private static List<Row> summary() {
        return etl.table("job_info_daily_status").orderBy("year", "month", "day", "site", "status").collectAsList();
    }

    private static void assertSummaryEqualsRecomputation() {
        List<Row> recomputed = Aggregates.jobInfoDailyStatus(etl.table("job_info"))
                .select("year", "month", "day", "site", "status", "jobs")
                .orderBy("year", "month", "day", "site", "status").collectAsList();
        List<Row> stored = etl.table("job_info_daily_status").select("year", "month", "day", "site", "status", "jobs")
                .orderBy("year", "month", "day", "site", "status").collectAsList();
        assertThat(stored).isEqualTo(recomputed);
    }

    private static List<Row> jobs(String ids) {
        return etl.table("job_info").where("job_id IN (" + ids + ")").orderBy("job_id").collectAsList();
    }
}

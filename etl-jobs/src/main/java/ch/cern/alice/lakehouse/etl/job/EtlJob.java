package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

/**
 * One ETL run of one dataset: staged id range -> converted rows -> MERGE into {@code <root>/<dataset>}, rejects into
 * {@code <root>/_rejects/<dataset>}, then the dataset's summary tables for the touched partitions. Deleting the
 * staged rows is the caller's job, after it has recorded the result: a crash anywhere before leaves the range
 * re-runnable, and the MERGE makes the re-run add nothing twice.
 */
public final class EtlJob {

    private final SparkSession spark;
    private final ProgressReporter progress;

    public EtlJob(SparkSession spark, ProgressReporter progress) {
        this.spark = spark;
        this.progress = progress;
    }

    public JobResult run(JobConfig config) throws Exception {
        long started = System.currentTimeMillis();
        PhaseTimer timer = new PhaseTimer(progress);
        DatasetDescriptor descriptor = DatasetCatalog.load().get(config.dataset());
        if (config.toId().isEmpty()) {
            progress.progress("claiming", 5);
            timer.start("claim");
            config = config.withRange(config.fromId(), StagingClaim.claimUpperBound(config));
        }
        long from = config.fromId();
        long to = config.toId().getAsLong();
        if (to <= from) {
            progress.progress("done", 100);
            return JobResult.empty(from, to, System.currentTimeMillis() - started);
        }

        timer.stop();
        WriteLayout.applyDictionarySettings(spark, descriptor);
        progress.progress("reading", 10);
        timer.start("read+convert");
        Dataset<Row> staged = StagingReader.read(spark, config, from, to);
        Dataset<Row> converted = StagedRowConversion.convert(staged, descriptor, config.runId())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // one pass over the batch gives the row and reject counts and the partitions it touches
            List<String> partitionColumns = descriptor.partitionColumns();
            List<Column> groups = new ArrayList<>();
            partitionColumns.forEach(c -> groups.add(col(c)));
            groups.add(col(LakeSchema.REJECT_REASON).isNotNull().as("rejected"));
            List<Row> summary = converted.groupBy(groups.toArray(Column[]::new)).count().collectAsList();
            int rejectedIndex = partitionColumns.size();
            long rowsRead = summary.stream().mapToLong(r -> r.getLong(rejectedIndex + 1)).sum();
            long rowsRejected = summary.stream().filter(r -> r.getBoolean(rejectedIndex))
                    .mapToLong(r -> r.getLong(rejectedIndex + 1)).sum();
            List<Row> touched = summary.stream().filter(r -> !r.getBoolean(rejectedIndex) && !partitionColumns.isEmpty())
                    .toList();
            timer.stop();
            progress.progress("converted", 40);

            if (rowsRejected > 0) {
                progress.progress("writing rejects", 45);
                timer.start("rejects");
                writeRejects(config, converted.where(col(LakeSchema.REJECT_REASON).isNotNull()));
            }

            Dataset<Row> good = converted.where(col(LakeSchema.REJECT_REASON).isNull()).select(tableColumns(descriptor));
            String partitionPredicate = DeltaTables.partitionPredicate(partitionColumns, touched);

            timer.stop();
            progress.progress("merging", 50);
            timer.start("merge");
            DeltaTables.Commit commit = rowsRead == rowsRejected ? null
                    : DeltaTables.upsert(spark, config.tablePath(config.dataset()), good, descriptor.keyFields(),
                    partitionColumns, partitionPredicate, WriteLayout.tableProperties(descriptor));

            if (commit != null && partitionPredicate != null && !Aggregates.forDataset(config.dataset()).isEmpty()) {
                timer.stop();
                progress.progress("aggregating", 85);
                timer.start("aggregates");
                Aggregates.rebuild(spark, config, partitionPredicate, commit.created() ? good : null);
            }
            timer.stop();
            progress.progress("done", 100);
            List<String> partitionNames = touched.stream().map(r -> partitionName(partitionColumns, r)).sorted().toList();
            return new JobResult(from, to, rowsRead,
                    commit == null ? 0 : commit.written(), commit == null ? 0 : commit.inserted(),
                    commit == null ? 0 : commit.updated(), rowsRejected, commit == null ? 0 : commit.filesAdded(),
                    commit == null ? -1 : commit.version(), partitionNames, System.currentTimeMillis() - started);
        } finally {
            converted.unpersist();
        }
    }

    private void writeRejects(JobConfig config, Dataset<Row> rejects) {
        Dataset<Row> rows = rejects.select(
                lit(config.dataset()).as("dataset"),
                col(LakeSchema.STAGING_ID).as("staging_id"),
                col(LakeSchema.DEDUP_KEY).as("dedup_key"),
                col(LakeSchema.SITE).as("site"),
                col(LakeSchema.RECEIVED_AT).as("received_at"),
                col(LakeSchema.RAW_PAYLOAD).as("payload"),
                col(LakeSchema.REJECT_REASON).as("reason"),
                col(LakeSchema.RUN_ID).as("etl_run_id"),
                current_timestamp().as("rejected_at"));
        DeltaTables.upsert(spark, config.tablePath("_rejects/" + config.dataset()), rows, List.of("dedup_key"),
                List.of(), null);
    }

    private static Column[] tableColumns(DatasetDescriptor descriptor) {
        return Arrays.stream(LakeSchema.table(descriptor).fields()).map(StructField::name).map(c -> col(c))
                .toArray(Column[]::new);
    }

    private static String partitionName(List<String> columns, Row values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : "/").append(columns.get(i)).append('=').append(values.getInt(i));
        }
        return sb.toString();
    }
}

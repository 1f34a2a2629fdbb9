package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

/**
 * One ETL run of one dataset: staged id range -> converted rows -> MERGE into {@code <root>/<dataset>} (newest
 * record wins, see {@link #newestWins}), rejects into {@code <root>/_rejects/<dataset>}, then the dataset's summary
 * tables for the partitions that changed. Deleting the
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
            // one pass over the batch gives the row and reject counts, the partitions it touches and the range of
            // its first key column
            List<String> partitionColumns = descriptor.partitionColumns();
            List<Column> groups = new ArrayList<>();
            partitionColumns.forEach(c -> groups.add(col(c)));
            groups.add(col(LakeSchema.REJECT_REASON).isNotNull().as("rejected"));
            String firstKey = descriptor.keyFields().get(0);
            boolean keyRange = descriptor.field(firstKey).map(f -> f.type() == FieldType.BIGINT
                    || f.type() == FieldType.INT).orElse(false);
            Column keyColumn = keyRange ? col(firstKey) : lit(null).cast(DataTypes.LongType);
            List<Row> summary = converted.groupBy(groups.toArray(Column[]::new))
                    .agg(count(lit(1)), min(keyColumn).cast(DataTypes.LongType), max(keyColumn).cast(DataTypes.LongType))
                    .collectAsList();
            int rejectedIndex = partitionColumns.size();
            long rowsRead = summary.stream().mapToLong(r -> r.getLong(rejectedIndex + 1)).sum();
            long rowsRejected = summary.stream().filter(r -> r.getBoolean(rejectedIndex))
                    .mapToLong(r -> r.getLong(rejectedIndex + 1)).sum();
            List<Row> good = summary.stream().filter(r -> !r.getBoolean(rejectedIndex)).toList();
            Set<List<Integer>> touched = new LinkedHashSet<>();
            if (!partitionColumns.isEmpty()) {
                good.forEach(r -> touched.add(partitionValues(r, partitionColumns.size())));
            }
            timer.stop();
            progress.progress("converted", 40);

            if (rowsRejected > 0) {
                progress.progress("writing rejects", 45);
                timer.start("rejects");
                writeRejects(config, converted.where(col(LakeSchema.REJECT_REASON).isNotNull()));
            }

            Dataset<Row> goodRows = converted.where(col(LakeSchema.REJECT_REASON).isNull())
                    .select(tableColumns(descriptor));
            DeltaTables.Merge merge = newestWins(descriptor, touched, keyRange ? keyRange(firstKey, good, rejectedIndex)
                    : null);

            timer.stop();
            progress.progress("merging", 50);
            timer.start("merge");
            String tablePath = config.tablePath(config.dataset());
            DeltaTables.Commit commit = rowsRead == rowsRejected ? null
                    : DeltaTables.upsert(spark, tablePath, goodRows, merge, partitionColumns,
                    WriteLayout.tableProperties(descriptor));
            // a row whose time field moved it to another partition left its old one: that changed too
            Set<List<Integer>> changed = new LinkedHashSet<>(touched);
            if (commit != null && commit.committed() && !commit.created()) {
                DeltaTables.partitionsChanged(spark, tablePath, commit.previousVersion(), commit.version(),
                        partitionColumns).ifPresent(changed::addAll);
            }

            Map<String, Long> tableVersions = new LinkedHashMap<>();
            if (commit != null) {
                tableVersions.put(config.dataset(), commit.version());
            }
            if (commit != null && !partitionColumns.isEmpty() && !Aggregates.forDataset(config.dataset()).isEmpty()) {
                timer.stop();
                progress.progress("aggregating", 85);
                timer.start("aggregates");
                tableVersions.putAll(Aggregates.rebuild(spark, config, partitionColumns, changed, commit.version(),
                        commit.previousVersion(), commit.created() ? goodRows : null));
            }
            timer.stop();
            progress.progress("done", 100);
            List<String> partitionNames = DeltaTables.sorted(changed).stream()
                    .map(p -> partitionName(partitionColumns, p)).toList();
            return new JobResult(from, to, rowsRead,
                    commit == null ? 0 : commit.written(), commit == null ? 0 : commit.inserted(),
                    commit == null ? 0 : commit.updated(), rowsRejected, commit == null ? 0 : commit.filesAdded(),
                    commit == null ? -1 : commit.version(), partitionNames, System.currentTimeMillis() - started,
                    tableVersions);
        } finally {
            converted.unpersist();
        }
    }

    /**
     * The MERGE rule of a dataset table: a record is its site plus its key, whatever partition its time field
     * maps it to (a re-send that moved months replaces the stored row, which leaves its old partition), and a
     * stored row is replaced only by a newer record: greater order field value (nulls lowest), then later receive
     * time, then Kafka partition, then Kafka offset (nulls lowest) - the rule staging applies within its window.
     * Re-running the same rows therefore changes nothing.
     * <p>
     * The stored rows are narrowed by conditions on the target alone, which Delta answers from file statistics:
     * the batch's range of the first key column when it is an integer, and the batch's partitions when the time
     * field is part of the key (a key then cannot change partition).
     *
     * @param keyRange min and max of the first key column over the batch, or null
     */
    static DeltaTables.Merge newestWins(DatasetDescriptor descriptor, Collection<List<Integer>> partitions,
                                        long[] keyRange) {
        List<String> match = new ArrayList<>();
        match.add(LakeSchema.SITE);
        match.addAll(descriptor.keyFields());
        Column filter = null;
        if (keyRange != null) {
            filter = col("t." + descriptor.keyFields().get(0)).between(lit(keyRange[0]), lit(keyRange[1]));
        }
        if (descriptor.keyFields().contains(descriptor.timeField())) {
            Column inPartitions = DeltaTables.targetPartitionFilter(descriptor.partitionColumns(), partitions);
            if (inPartitions != null) {
                filter = filter == null ? inPartitions : filter.and(inPartitions);
            }
        }
        List<String> newerBy = new ArrayList<>();
        descriptor.orderField().ifPresent(newerBy::add);
        newerBy.addAll(List.of(LakeSchema.RECEIVED_AT, LakeSchema.KAFKA_PARTITION, LakeSchema.KAFKA_OFFSET));
        return new DeltaTables.Merge(match, filter, newerBy);
    }

    private static long[] keyRange(String firstKey, List<Row> goodGroups, int rejectedIndex) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Row r : goodGroups) {
            if (r.isNullAt(rejectedIndex + 2) || r.isNullAt(rejectedIndex + 3)) {
                throw new IllegalStateException("converted rows without " + firstKey);
            }
            lo = Math.min(lo, r.getLong(rejectedIndex + 2));
            hi = Math.max(hi, r.getLong(rejectedIndex + 3));
        }
        return goodGroups.isEmpty() ? null : new long[]{lo, hi};
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
        // the latest reject of a dedup key replaces an earlier one
        DeltaTables.upsert(spark, config.tablePath("_rejects/" + config.dataset()), rows,
                new DeltaTables.Merge(List.of("dedup_key"), null, List.of()), List.of(), Map.of());
    }

    static Column[] tableColumns(DatasetDescriptor descriptor) {
        return Arrays.stream(LakeSchema.table(descriptor).fields()).map(StructField::name).map(c -> col(c))
                .toArray(Column[]::new);
    }

    private static List<Integer> partitionValues(Row row, int count) {
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(row.getInt(i));
        }
        return List.copyOf(values);
    }

    private static String partitionName(List<String> columns, List<Integer> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : "/").append(columns.get(i)).append('=').append(values.get(i));
        }
        return sb.toString();
    }
}

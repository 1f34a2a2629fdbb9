package ch.cern.alice.lakehouse.etl.job;

import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Idempotent writes to Delta: MERGE on the key (a re-run of the same rows changes nothing, adds none), or a plain
 * partitioned write when the table does not exist yet (same outcome on an empty table, much cheaper).
 */
final class DeltaTables {

    /**
     * What the write did, from the table history.
     *
     * @param version         the table version after the write
     * @param previousVersion the version before it; -1 when the write created the table
     * @param created         the write created the table, which therefore holds exactly the rows written
     */
    record Commit(long version, long previousVersion, long inserted, long updated, long filesAdded, boolean created) {
        long written() {
            return inserted + updated;
        }

        /** False when the MERGE changed nothing and Delta recorded no new version. */
        boolean committed() {
            return version != previousVersion;
        }
    }

    /**
     * How a MERGE finds and replaces stored rows.
     *
     * @param matchColumns a stored row and a batch row are the same record when all these are equal
     * @param targetFilter a condition on the stored rows alone ({@code t.<column>}) that every match satisfies, or
     *                     null: Delta skips the files whose statistics rule it out instead of joining them
     * @param newerBy      ordering columns: a match replaces the stored row only when the batch row is greater,
     *                     compared column by column, nulls lowest; empty: a match always replaces it
     */
    record Merge(List<String> matchColumns, Column targetFilter, List<String> newerBy) {
    }

    private DeltaTables() {
    }

    /** @param tableProperties Delta table properties set when this write creates the table */
    static Commit upsert(SparkSession spark, String path, Dataset<Row> rows, Merge merge,
                         List<String> partitionColumns, Map<String, String> tableProperties) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            withNewTableDefaults(spark, tableProperties, () -> rows.write().format("delta").mode("append")
                    .partitionBy(partitionColumns.toArray(String[]::new))
                    .save(path));
            return lastCommit(spark, path, -1);
        }
        DeltaTable table = DeltaTable.forPath(spark, path);
        long before = table.history(1).select("version").first().getLong(0);
        StructType target = table.toDF().schema();
        Column condition = null;
        for (String k : merge.matchColumns()) {
            Column equal = col("t." + k).equalTo(col("s." + k));
            condition = condition == null ? equal : condition.and(equal);
        }
        if (merge.targetFilter() != null) {
            condition = condition.and(merge.targetFilter());
        }
        var builder = table.as("t").merge(rows.as("s"), condition);
        builder = merge.newerBy().isEmpty() ? builder.whenMatched().updateAll().whenNotMatched().insertAll()
                : builder.whenMatched(newer(merge.newerBy(), rows.schema(), target)).updateAll()
                .whenNotMatched().insertAll();
        builder.execute();
        return lastCommit(spark, path, before);
    }

    /**
     * "s is newer than t": s.c1 > t.c1, or equal and s.c2 > t.c2, and so on; a null is lower than any value and
     * equal to null. A column the stored table does not have yet (a table written before it existed; the MERGE
     * adds it) counts as null there.
     */
    static Column newer(List<String> columns, StructType source, StructType target) {
        Set<String> targetColumns = Arrays.stream(target.fieldNames()).collect(Collectors.toSet());
        Column newer = null;
        for (int i = columns.size() - 1; i >= 0; i--) {
            String c = columns.get(i);
            StructField field = source.apply(c);
            Column s = col("s." + c);
            Column t = targetColumns.contains(c) ? col("t." + c) : lit(null).cast(field.dataType());
            Column greater = s.isNotNull().and(t.isNull().or(s.gt(t)));
            newer = newer == null ? greater : greater.or(s.eqNullSafe(t).and(newer));
        }
        return newer;
    }

    /** Delta takes the properties of a table created by a DataFrame write from session defaults. */
    private static void withNewTableDefaults(SparkSession spark, Map<String, String> properties, Runnable write) {
        String prefix = "spark.databricks.delta.properties.defaults.";
        properties.forEach((k, v) -> spark.conf().set(prefix + k.substring("delta.".length()), v));
        try {
            write.run();
        } finally {
            properties.keySet().forEach(k -> spark.conf().unset(prefix + k.substring("delta.".length())));
        }
    }

    private static Commit lastCommit(SparkSession spark, String path, long before) {
        Row last = DeltaTable.forPath(spark, path).history(1).select("version", "operation", "operationMetrics")
                .first();
        long version = last.getLong(0);
        if (version == before) {
            return new Commit(version, before, 0, 0, 0, false);
        }
        Map<String, String> metrics = last.getJavaMap(2);
        String operation = last.getString(1);
        if (operation.equals("MERGE")) {
            return new Commit(version, before, metric(metrics, "numTargetRowsInserted"),
                    metric(metrics, "numTargetRowsUpdated"), metric(metrics, "numTargetFilesAdded"), false);
        }
        return new Commit(version, before, metric(metrics, "numOutputRows"), 0, metric(metrics, "numFiles"),
                before < 0);
    }

    private static long metric(Map<String, String> metrics, String name) {
        String v = metrics == null ? null : metrics.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }

    /**
     * The partitions whose files the commits {@code (fromVersion, toVersion]} added or removed, read from the
     * commit files of the Delta log: for a MERGE that includes the partition a row left when its time field
     * moved it elsewhere. Empty when a commit file is gone (log cleanup) and the answer is unknown.
     *
     * @return partition values in the order of {@code partitionColumns}
     */
    static Optional<Set<List<Integer>>> partitionsChanged(SparkSession spark, String path, long fromVersion,
                                                          long toVersion, List<String> partitionColumns) {
        Set<List<Integer>> partitions = new LinkedHashSet<>();
        if (partitionColumns.isEmpty() || toVersion <= fromVersion) {
            return Optional.of(partitions);
        }
        List<String> files = new ArrayList<>();
        try {
            org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
            FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
            for (long v = Math.max(0, fromVersion + 1); v <= toVersion; v++) {
                org.apache.hadoop.fs.Path commit = new org.apache.hadoop.fs.Path(log, String.format("%020d.json", v));
                if (!fs.exists(commit)) {
                    return Optional.empty();
                }
                files.add(commit.toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Delta log of " + path + ": " + e.getMessage(), e);
        }
        var action = new StructType().add("partitionValues",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
        Column[] values = partitionColumns.stream().map(c -> col("p").getItem(c)).toArray(Column[]::new);
        List<Row> rows = spark.read().schema(new StructType().add("add", action).add("remove", action))
                .json(files.toArray(String[]::new))
                .selectExpr("explode(array(add.partitionValues, remove.partitionValues)) AS p")
                .where("p IS NOT NULL").select(values).distinct().collectAsList();
        for (Row r : rows) {
            List<Integer> partition = new ArrayList<>();
            for (int i = 0; i < partitionColumns.size(); i++) {
                if (r.isNullAt(i)) {
                    throw new IllegalStateException(path + ": a file without partition value "
                            + partitionColumns.get(i));
                }
                partition.add(Integer.parseInt(r.getString(i)));
            }
            partitions.add(List.copyOf(partition));
        }
        return Optional.of(partitions);
    }

    /** Partition value lists in ascending order. */
    static List<List<Integer>> sorted(Collection<List<Integer>> partitions) {
        Comparator<List<Integer>> byValues = (a, b) -> {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = Integer.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        };
        return partitions.stream().sorted(byValues).toList();
    }

    /** "(year = 2024 AND month = 5) OR (...)" for the given partition values; null when there are none. */
    static String partitionPredicate(List<String> partitionColumns, Collection<List<Integer>> values) {
        if (partitionColumns.isEmpty() || values.isEmpty()) {
            return null;
        }
        return sorted(values).stream().map(v -> {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < partitionColumns.size(); i++) {
                sb.append(i == 0 ? "" : " AND ").append(partitionColumns.get(i)).append(" = ").append(v.get(i));
            }
            return sb.append(')').toString();
        }).collect(Collectors.joining(" OR "));
    }

    /** The same as {@link #partitionPredicate} on the stored rows of a MERGE ({@code t.<column>}); null for none. */
    static Column targetPartitionFilter(List<String> partitionColumns, Collection<List<Integer>> values) {
        if (partitionColumns.isEmpty() || values.isEmpty()) {
            return null;
        }
        Column any = null;
        for (List<Integer> v : sorted(values)) {
            Column all = null;
            for (int i = 0; i < partitionColumns.size(); i++) {
                Column equal = col("t." + partitionColumns.get(i)).equalTo(lit(v.get(i)));
                all = all == null ? equal : all.and(equal);
            }
            any = any == null ? all : any.or(all);
        }
        return any;
    }
}

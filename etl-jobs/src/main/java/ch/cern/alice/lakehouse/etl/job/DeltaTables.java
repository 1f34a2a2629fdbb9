package ch.cern.alice.lakehouse.etl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    private static final ObjectMapper JSON = new ObjectMapper();

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
        // one listing of the log answers whether the table exists, its schema and its version (one writer per
        // table: nobody else commits meanwhile); isDeltaTable, toDF() and history each went to the store again
        Snapshot snapshot = snapshot(spark, path);
        if (snapshot.version() < 0) {
            withNewTableDefaults(spark, tableProperties, () -> rows.write().format("delta").mode("append")
                    .partitionBy(partitionColumns.toArray(String[]::new))
                    .save(path));
            return lastCommit(spark, path, -1);
        }
        DeltaTable table = DeltaTable.forPath(spark, path);
        StructType target = snapshot.schema();
        long before = snapshot.version();
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
        long version = committedVersion(spark, path);
        if (version == before) {
            return new Commit(version, before, 0, 0, 0, false);
        }
        JsonNode commitInfo = commitInfo(spark, path, version);
        Map<String, String> metrics = new java.util.HashMap<>();
        commitInfo.path("operationMetrics").properties().forEach(e -> metrics.put(e.getKey(), e.getValue().asText()));
        String operation = commitInfo.path("operation").asText();
        if (operation.equals("MERGE")) {
            return new Commit(version, before, metric(metrics, "numTargetRowsInserted"),
                    metric(metrics, "numTargetRowsUpdated"), metric(metrics, "numTargetFilesAdded"), false);
        }
        return new Commit(version, before, metric(metrics, "numOutputRows"), 0, metric(metrics, "numFiles"),
                before < 0);
    }

    /**
     * The table's newest version: what {@code history(1)} answers, from the Delta log's snapshot (brought up to date:
     * one listing of the log), without a Spark job and a query plan per call.
     */
    static long latestVersion(SparkSession spark, String path) {
        return snapshot(spark, path).version();
    }

    /** The table's snapshot brought up to date (one listing of the log); version -1 when there is no table yet. */
    static Snapshot snapshot(SparkSession spark, String path) {
        return DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    }

    /**
     * The table's version after this application's last write to it, or after the last {@link #snapshot}: a
     * commit installs its snapshot in the table's (cached) DeltaLog, so this needs no listing of the log. Only
     * with one writer per table (a run of a dataset at a time), which is how runs write.
     */
    static long committedVersion(SparkSession spark, String path) {
        return DeltaLog.forTable(spark, path).unsafeVolatileSnapshot().version();
    }

    /** The {@code commitInfo} action of a commit (operation, operationMetrics, userMetadata...), read from the log. */
    static JsonNode commitInfo(SparkSession spark, String path, long version) {
        try {
            for (JsonNode action : commitActions(spark, path, version)) {
                if (action.has("commitInfo")) {
                    return action.get("commitInfo");
                }
            }
        } catch (FileNotFoundException e) {
            throw new IllegalStateException(path + ": commit " + version + " is not in the Delta log", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Delta log of " + path + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException(path + ": commit " + version + " has no commitInfo");
    }

    /**
     * The actions of one commit file of the Delta log ({@code _delta_log/<version>.json}, one JSON object per line).
     *
     * @throws FileNotFoundException when the log no longer has it (log cleanup) or never had it
     */
    static List<JsonNode> commitActions(SparkSession spark, String path, long version) throws IOException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(path, "_delta_log"),
                String.format("%020d.json", version));
        FileSystem fs = file.getFileSystem(spark.sessionState().newHadoopConf());
        List<JsonNode> actions = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    actions.add(JSON.readTree(line));
                }
            }
        }
        return actions;
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
        // a few small files: read directly rather than through a Spark job and its query plan
        for (long v = Math.max(0, fromVersion + 1); v <= toVersion; v++) {
            List<JsonNode> actions;
            try {
                actions = commitActions(spark, path, v);
            } catch (FileNotFoundException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the Delta log of " + path + ": " + e.getMessage(), e);
            }
            for (JsonNode action : actions) {
                for (String kind : List.of("add", "remove")) {
                    JsonNode values = action.path(kind).path("partitionValues");
                    if (!values.isObject()) {
                        continue;
                    }
                    List<Integer> partition = new ArrayList<>();
                    for (String c : partitionColumns) {
                        JsonNode value = values.get(c);
                        if (value == null || value.isNull()) {
                            throw new IllegalStateException(path + ": a file without partition value " + c);
                        }
                        partition.add(Integer.parseInt(value.asText()));
                    }
                    partitions.add(List.copyOf(partition));
                }
            }
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

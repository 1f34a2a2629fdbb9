package ch.cern.alice.lakehouse.etl.job;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Idempotent writes to Delta: MERGE on the key (a re-run of the same rows updates them, adds none), or a plain
 * partitioned write when the table does not exist yet (same outcome on an empty table, much cheaper).
 */
final class DeltaTables {

    /**
     * What the commit did, from the table history.
     *
     * @param created the commit created the table, which therefore holds exactly the rows written
     */
    record Commit(long version, long inserted, long updated, long filesAdded, boolean created) {
        long written() {
            return inserted + updated;
        }
    }

    private DeltaTables() {
    }

    static Commit upsert(SparkSession spark, String path, Dataset<Row> rows, List<String> keyColumns,
                         List<String> partitionColumns, String partitionPredicate) {
        return upsert(spark, path, rows, keyColumns, partitionColumns, partitionPredicate, Map.of());
    }

    /** @param tableProperties Delta table properties set when this write creates the table */
    static Commit upsert(SparkSession spark, String path, Dataset<Row> rows, List<String> keyColumns,
                         List<String> partitionColumns, String partitionPredicate, Map<String, String> tableProperties) {
        boolean create = !DeltaTable.isDeltaTable(spark, path);
        if (create) {
            withNewTableDefaults(spark, tableProperties, () -> rows.write().format("delta").mode("append")
                    .partitionBy(partitionColumns.toArray(String[]::new))
                    .save(path));
        } else {
            String condition = keyColumns.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
            for (String p : partitionColumns) {
                condition += " AND t." + p + " = s." + p;
            }
            if (partitionPredicate != null) {
                // lets Delta prune target files to the partitions the batch touches
                condition += " AND (" + partitionPredicate.replaceAll("\\b(year|month|day)\\b", "t.$1") + ")";
            }
            DeltaTable.forPath(spark, path).as("t")
                    .merge(rows.as("s"), condition)
                    .whenMatched().updateAll()
                    .whenNotMatched().insertAll()
                    .execute();
        }
        return lastCommit(spark, path, create);
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

    private static Commit lastCommit(SparkSession spark, String path, boolean created) {
        Row last = DeltaTable.forPath(spark, path).history(1).select("version", "operation", "operationMetrics")
                .first();
        Map<String, String> metrics = last.getJavaMap(2);
        String operation = last.getString(1);
        if (operation.equals("MERGE")) {
            return new Commit(last.getLong(0), metric(metrics, "numTargetRowsInserted"),
                    metric(metrics, "numTargetRowsUpdated"), metric(metrics, "numTargetFilesAdded"), false);
        }
        return new Commit(last.getLong(0), metric(metrics, "numOutputRows"), 0, metric(metrics, "numFiles"), created);
    }

    private static long metric(Map<String, String> metrics, String name) {
        String v = metrics == null ? null : metrics.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** "(year = 2024 AND month = 5) OR (...)" for the given partition values; null when there are none. */
    static String partitionPredicate(List<String> partitionColumns, List<Row> values) {
        if (partitionColumns.isEmpty() || values.isEmpty()) {
            return null;
        }
        return values.stream().map(v -> {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < partitionColumns.size(); i++) {
                sb.append(i == 0 ? "" : " AND ").append(partitionColumns.get(i)).append(" = ").append(v.getInt(i));
            }
            return sb.append(')').toString();
        }).collect(Collectors.joining(" OR "));
    }
}

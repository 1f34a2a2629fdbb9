package ch.cern.alice.lakehouse.etl.maintenance;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Delta OPTIMIZE (bin-packing compaction) of the partitions that have at least {@code minFiles} data files: many
 * small runs leave many small files, which slow every query down. Rows and their values are unchanged; the
 * replaced files stay on storage (time travel keeps working) until a VACUUM removes them. Only partitions that exist
 * in the table are compacted, so a requested partition name never reaches SQL unchecked.
 */
public final class OptimizeJob {

    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final SparkSession spark;

    public OptimizeJob(SparkSession spark) {
        this.spark = spark;
    }

    public MaintenanceResult run(MaintenanceRequest request) {
        long start = System.currentTimeMillis();
        String path = request.tablePath();
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return new MaintenanceResult(MaintenanceRequest.OPTIMIZE, request.dataset(), 0, 0, 0, 0, -1, false,
                    List.of(), 0, System.currentTimeMillis() - start);
        }
        DeltaTable table = DeltaTable.forPath(spark, path);
        long versionBefore = version(table);
        Map<String, Integer> before = LakeFiles.liveFilesPerPartition(spark, path);
        List<String> compacted = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        boolean whole = false;
        for (Map.Entry<String, Integer> partition : before.entrySet()) {
            boolean wanted = request.partitions().isEmpty() || request.partitions().contains(partition.getKey());
            if (!wanted || partition.getValue() < request.minFiles()) {
                continue;
            }
            String where = whereClause(partition.getKey());
            if (where == null) {
                whole = true;
            } else {
                conditions.add("(" + where + ")");
            }
            compacted.add(partition.getKey().isEmpty() ? "(unpartitioned)" : partition.getKey());
        }
        // one OPTIMIZE for every busy partition: one new table version per run
        if (whole) {
            table.optimize().executeCompaction();
        } else if (!conditions.isEmpty()) {
            table.optimize().where(String.join(" OR ", conditions)).executeCompaction();
        }
        long filesBefore = before.values().stream().mapToLong(Integer::longValue).sum();
        long filesAfter = compacted.isEmpty() ? filesBefore
                : LakeFiles.liveFilesPerPartition(spark, path).values().stream().mapToLong(Integer::longValue).sum();
        long versionAfter = compacted.isEmpty() ? versionBefore : version(DeltaTable.forPath(spark, path));
        return new MaintenanceResult(MaintenanceRequest.OPTIMIZE, request.dataset(), filesBefore, filesAfter,
                filesBefore - filesAfter, 0, versionAfter, versionAfter != versionBefore, compacted, 0,
                System.currentTimeMillis() - start);
    }

    /** "year=2024/month=6" -> "year = 2024 AND month = 6"; null for the unpartitioned table. */
    static String whereClause(String partition) {
        if (partition.isEmpty()) {
            return null;
        }
        List<String> terms = new ArrayList<>();
        for (String part : partition.split("/")) {
            int eq = part.indexOf('=');
            String column = part.substring(0, eq);
            String value = java.net.URLDecoder.decode(part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            if (!COLUMN.matcher(column).matches()) {
                throw new IllegalArgumentException("unexpected partition column in '" + partition + "'");
            }
            if ("__HIVE_DEFAULT_PARTITION__".equals(value)) {
                terms.add("`" + column + "` IS NULL");
            } else if (NUMBER.matcher(value).matches()) {
                terms.add("`" + column + "` = " + value);
            } else {
                terms.add("`" + column + "` = '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'");
            }
        }
        return String.join(" AND ", terms);
    }

    static long version(DeltaTable table) {
        return table.history(1).select("version").first().getLong(0);
    }
}

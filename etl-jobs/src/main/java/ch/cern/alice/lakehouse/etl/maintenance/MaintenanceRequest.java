package ch.cern.alice.lakehouse.etl.maintenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One maintenance run of one lake table.
 *
 * @param kind               {@value #OPTIMIZE} or {@value #VACUUM}
 * @param tablePath          the Delta table's location ({@code s3a://bucket/trace}, a local path in tests)
 * @param partitions         OPTIMIZE: "year=2024/month=5"-style partitions to look at; empty: every partition
 * @param minFiles           OPTIMIZE: a partition is compacted only when it has at least this many data files
 * @param retainHours        VACUUM: files removed from the table less than this many hours ago are kept
 * @param allowBelowSafety   VACUUM: a retention below the table's {@code delta.deletedFileRetentionDuration}
 *                           (Delta's safety minimum, 7 days by default) is refused unless this is true
 */
public record MaintenanceRequest(String kind, String runId, String dataset, String tablePath, List<String> partitions,
                                 int minFiles, double retainHours, boolean allowBelowSafety) {

    public static final String OPTIMIZE = "optimize";
    public static final String VACUUM = "vacuum";

    public MaintenanceRequest {
        if (!OPTIMIZE.equals(kind) && !VACUUM.equals(kind)) {
            throw new IllegalArgumentException("maintenance kind must be optimize or vacuum, got '" + kind + "'");
        }
        if (tablePath == null || tablePath.isBlank()) {
            throw new IllegalArgumentException("the table path is required");
        }
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        if (minFiles < 2) {
            minFiles = 2; // one file is already compact
        }
        if (VACUUM.equals(kind) && (Double.isNaN(retainHours) || retainHours < 0)) {
            throw new IllegalArgumentException("retainHours must be a number >= 0");
        }
    }

    /**
     * From named values (a warm request's fields, or a one-shot job's {@code --name=value} arguments):
     * {@code kind, run-id, dataset, table-path, partitions, min-files, retain-hours, allow-below-safety}.
     */
    public static MaintenanceRequest fromParams(Map<String, String> a, String defaultTablePath) {
        List<String> partitions = new ArrayList<>();
        for (String p : a.getOrDefault("partitions", "").split(",")) {
            if (!p.isBlank()) {
                partitions.add(p.strip());
            }
        }
        String tablePath = a.getOrDefault("table-path", defaultTablePath);
        return new MaintenanceRequest(a.get("kind"), a.getOrDefault("run-id", "0"), a.get("dataset"), tablePath,
                partitions, Integer.parseInt(a.getOrDefault("min-files", "16")),
                Double.parseDouble(a.getOrDefault("retain-hours", "168")),
                Boolean.parseBoolean(a.getOrDefault("allow-below-safety", "false")));
    }
}

package ch.cern.alice.lakehouse.etl.maintenance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a maintenance run did.
 *
 * @param filesBefore  OPTIMIZE: data files of the current version before; VACUUM: data files in the table's
 *                     directory before (current and removed-but-kept ones)
 * @param filesAfter   the same count afterwards
 * @param bytesRemoved VACUUM: bytes of the files it deleted; OPTIMIZE: 0 (the replaced files stay until a VACUUM)
 * @param deltaVersion the table version after the run (OPTIMIZE commits one; VACUUM only logs start/end), -1 when
 *                     there is no table
 * @param partitions   OPTIMIZE: the partitions it compacted
 */
public record MaintenanceResult(String kind, String dataset, long filesBefore, long filesAfter, long filesRemoved,
                                long bytesRemoved, long deltaVersion, boolean committed, List<String> partitions,
                                double retainHours, long durationMs) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("dataset", dataset);
        m.put("filesBefore", filesBefore);
        m.put("filesAfter", filesAfter);
        m.put("filesRemoved", filesRemoved);
        m.put("bytesRemoved", bytesRemoved);
        m.put("deltaVersion", deltaVersion);
        m.put("committed", committed);
        m.put("partitions", String.join(",", partitions));
        m.put("retainHours", retainHours);
        m.put("durationMs", durationMs);
        return m;
    }

    /** Flat JSON of {@link #toMap()} (numbers, booleans and strings only). */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        toMap().forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(k).append("\":");
            if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        });
        return sb.append('}').toString();
    }
}

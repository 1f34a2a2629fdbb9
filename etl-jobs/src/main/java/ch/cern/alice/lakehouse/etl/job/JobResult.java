package ch.cern.alice.lakehouse.etl.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run did.
 *
 * @param rowsWritten rows inserted or updated in the dataset table
 * @param touchedPartitions "year=2024/month=5"-style names of the partitions the batch wrote to, plus those a
 *                          re-sent row left because its time field moved it to another partition
 * @param tableVersions every table the run brought up to date -> its Delta version after the run: the dataset table
 *                      ({@code deltaVersion}) and its summary tables; what the run's versioning commit pins. Empty
 *                      when the run wrote nothing
 */
public record JobResult(long watermarkFrom, long watermarkTo, long rowsRead, long rowsWritten, long rowsInserted,
                        long rowsUpdated, long rowsRejected, long filesWritten, long deltaVersion,
                        List<String> touchedPartitions, long durationMs, Map<String, Long> tableVersions) {

    public JobResult {
        tableVersions = tableVersions == null ? Map.of() : Collections.unmodifiableMap(
                new LinkedHashMap<>(tableVersions));
    }

    public static JobResult empty(long from, long to, long durationMs) {
        return new JobResult(from, to, 0, 0, 0, 0, 0, 0, -1, List.of(), durationMs, Map.of());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("watermarkFrom", watermarkFrom);
        m.put("watermarkTo", watermarkTo);
        m.put("rowsRead", rowsRead);
        m.put("rowsWritten", rowsWritten);
        m.put("rowsInserted", rowsInserted);
        m.put("rowsUpdated", rowsUpdated);
        m.put("rowsRejected", rowsRejected);
        m.put("filesWritten", filesWritten);
        m.put("deltaVersion", deltaVersion);
        m.put("partitions", String.join(",", touchedPartitions));
        m.put("durationMs", durationMs);
        m.put("tables", tableVersions);
        return m;
    }
}

package ch.cern.alice.lakehouse.etl.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures a successful Spark job reports in its ETL_RESULT line.
 *
 * @param tables every table the run brought up to date -> its Delta version (the dataset table and its summary
 *               tables, the job's {@code tables}); what the run's versioning commit pins. Empty from a job that
 *               reported none (then the commit pins the dataset table at {@code deltaVersion})
 */
public record JobOutcome(long rowsRead, long rowsWritten, long rowsRejected, long filesWritten, long deltaVersion,
                         Map<String, Long> tables) {

    public static final JobOutcome NOTHING = new JobOutcome(0, 0, 0, 0, -1, Map.of());

    public JobOutcome {
        tables = tables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }
}

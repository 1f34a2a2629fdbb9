package ch.cern.alice.lakehouse.versioning.delta;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one Delta commit file ({@code _delta_log/NNNNNNNNNNNNNNNNNNNN.json}) says. Commit files are immutable.
 *
 * @param schemaString     {@code metaData.schemaString} when the commit (re)defines the table, else null
 * @param partitionColumns {@code metaData.partitionColumns} when present, else null
 */
public record DeltaCommit(long version, Instant timestamp, String operation, Map<String, Long> operationMetrics,
                          List<FileAction> adds, List<FileAction> removes, String schemaString,
                          List<String> partitionColumns) {

    /** An add or remove action; {@code numRecords} from its stats, null when the writer left no stats. */
    public record FileAction(String path, boolean dataChange, Long numRecords) {
    }

    public boolean definesSchema() {
        return schemaString != null;
    }
}

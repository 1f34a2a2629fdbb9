package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.delta.DeltaLogReader;
import org.springframework.stereotype.Component;

import java.util.Map;

/** Refuses table maps naming bad table names or Delta versions that the table's log does not have. */
@Component
public class TableVersionValidator {

    private final DeltaLogReader deltaLog;

    public TableVersionValidator(DeltaLogReader deltaLog) {
        this.deltaLog = deltaLog;
    }

    /** @param allowRemoval whether a null version (= drop the table from the commit) is accepted */
    public void validate(Map<String, Long> tables, boolean allowRemoval) {
        if (tables == null) {
            return;
        }
        tables.forEach((table, version) -> {
            Names.requireTableName(table);
            if (version == null) {
                if (!allowRemoval) {
                    throw new BadRequestException("table '" + table + "' needs a Delta version");
                }
                return;
            }
            if (version < 0) {
                throw new BadRequestException("table '" + table + "': Delta versions start at 0, got " + version);
            }
            if (!deltaLog.hasVersion(table, version)) {
                var latest = deltaLog.latestVersion(table);
                throw new BadRequestException("table '" + table + "' has no Delta version " + version + " at "
                        + deltaLog.location(table) + (latest.isPresent() ? " (latest is " + latest.getAsLong() + ")"
                        : " (no Delta log there)"));
            }
        });
    }
}

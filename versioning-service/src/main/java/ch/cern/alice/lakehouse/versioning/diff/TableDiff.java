package ch.cern.alice.lakehouse.versioning.diff;

import ch.cern.alice.lakehouse.versioning.delta.TableSchema;

import java.util.List;

/**
 * How one table differs between two refs.
 *
 * @param rowsAdded     rows inserted by the Delta commits between the two versions (null when not computable)
 * @param schemaChanges null when the schema of one side is unknown (see notes)
 * @param complete      false when the Delta log could not tell everything (see notes)
 */
public record TableDiff(String table, Status status, Long fromVersion, Long toVersion, Long rowsAdded,
                        Long rowsRemoved, Long rowsUpdated, List<String> operations,
                        TableSchema.Diff schemaChanges, boolean complete, List<String> notes) {

    public enum Status { ADDED, REMOVED, CHANGED }
}

package ch.cern.alice.lakehouse.query.branch;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;

/**
 * The derived table a branch write changes.
 *
 * @param schema        the branch's schema ({@code branch_<name>})
 * @param table         the table name inside it
 * @param pinnedVersion the version the branch head pins, null when the head does not hold the table
 */
public record BranchWriteTarget(WriteKind kind, String branch, String schema, String table, Long pinnedVersion) {

    /** The table's key in a commit's table map: {@code branch_x.t}. */
    public String key() {
        return schema + "." + table;
    }

    public String trinoName(String catalog) {
        return catalog + "." + schema + "." + table;
    }

    /** Where the Delta table lives below the bucket, as versioning-service reads it. */
    public String path() {
        return LakeLayout.tablePath(key());
    }
}

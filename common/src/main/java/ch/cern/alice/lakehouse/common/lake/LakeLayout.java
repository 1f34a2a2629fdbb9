package ch.cern.alice.lakehouse.common.lake;

import java.util.Locale;

/**
 * Where tables live, shared by the services that write them (query-gateway for branch work) and those that read
 * their Delta logs (versioning-service). A dataset table {@code t} is {@code <bucket>/t}; a branch's own derived
 * table {@code branch_x.t} is in the Trino schema {@code branch_x} at {@code <bucket>/branch_x/t}.
 */
public final class LakeLayout {

    /** Prefix of every branch schema; no dataset schema starts with it. */
    public static final String BRANCH_SCHEMA_PREFIX = "branch_";

    private LakeLayout() {
    }

    /** The schema holding a branch's derived tables: "branch_" + the lower-cased name, other than [a-z0-9_] -> '_'. */
    public static String branchSchema(String branch) {
        return BRANCH_SCHEMA_PREFIX + branch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    public static boolean isBranchSchema(String schema) {
        return schema.startsWith(BRANCH_SCHEMA_PREFIX);
    }

    /** Path of a table below the bucket: {@code t} -> {@code t}, {@code branch_x.t} -> {@code branch_x/t}. */
    public static String tablePath(String table) {
        return table.replace('.', '/');
    }
}

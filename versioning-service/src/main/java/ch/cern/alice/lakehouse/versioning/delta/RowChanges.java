package ch.cern.alice.lakehouse.versioning.delta;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Rows added, removed and updated by one Delta commit: from {@code commitInfo.operationMetrics} where the operation
 * reports them (Spark: MERGE, WRITE, DELETE, UPDATE ...), else from the {@code numRecords} stats of its data-changing
 * add/remove actions. Trino writes no operation metrics (its DELETE is a "MERGE" with {@code operationMetrics: {}})
 * and no stats on remove actions: a removed file's records then come from the add action that wrote the file.
 * {@code exact} is false when the log did not say enough (e.g. removed files whose stats are nowhere).
 */
public record RowChanges(long added, long removed, long updated, boolean exact) {

    private static final Set<String> METADATA_ONLY = Set.of("OPTIMIZE", "VACUUM START", "VACUUM END",
            "SET TBLPROPERTIES", "UNSET TBLPROPERTIES", "ADD COLUMNS", "CHANGE COLUMN", "RENAME COLUMN",
            "DROP COLUMNS", "CREATE TABLE", "UPGRADE PROTOCOL", "ADD CONSTRAINT", "DROP CONSTRAINT", "CLONE",
            "RESTORE", "ANALYZE STATS", "REORG");

    public static RowChanges of(DeltaCommit commit) {
        return of(commit, path -> null);
    }

    /** @param recordsOfRemovedFile records of a data file by path, for remove actions without stats (null = unknown) */
    public static RowChanges of(DeltaCommit commit, Function<String, Long> recordsOfRemovedFile) {
        Map<String, Long> m = commit.operationMetrics();
        String operation = commit.operation() == null ? "" : commit.operation();
        if (m.isEmpty()) {
            return fromFiles(commit, recordsOfRemovedFile);
        }
        if (operation.equals("MERGE") || m.containsKey("numTargetRowsInserted")) {
            return new RowChanges(m.getOrDefault("numTargetRowsInserted", 0L),
                    m.getOrDefault("numTargetRowsDeleted", 0L), m.getOrDefault("numTargetRowsUpdated", 0L),
                    m.containsKey("numTargetRowsInserted"));
        }
        if (operation.equals("DELETE")) {
            Long deleted = m.get("numDeletedRows");
            if (deleted != null) {
                return new RowChanges(0, deleted, 0, true);
            }
            return fromFiles(commit, recordsOfRemovedFile);
        }
        if (operation.equals("UPDATE")) {
            return new RowChanges(0, 0, m.getOrDefault("numUpdatedRows", 0L), m.containsKey("numUpdatedRows"));
        }
        if (METADATA_ONLY.contains(operation) && noDataChange(commit)) {
            return new RowChanges(0, 0, 0, true);
        }
        if (m.containsKey("numOutputRows")) {
            // WRITE / CTAS / REPLACE / STREAMING UPDATE: output rows are added; an overwrite removes whole files
            Long removed = sum(commit.removes(), recordsOfRemovedFile);
            return new RowChanges(m.get("numOutputRows"), removed == null ? 0 : removed, 0, removed != null);
        }
        return fromFiles(commit, recordsOfRemovedFile);
    }

    /** A commit without row metrics that both removes and adds files: rewritten rows count as removed and added. */
    public static boolean countsRewrittenFiles(DeltaCommit commit) {
        return commit.operationMetrics().isEmpty()
                && commit.adds().stream().anyMatch(DeltaCommit.FileAction::dataChange)
                && commit.removes().stream().anyMatch(DeltaCommit.FileAction::dataChange);
    }

    private static RowChanges fromFiles(DeltaCommit commit, Function<String, Long> recordsOfRemovedFile) {
        Long added = sum(commit.adds(), path -> null);
        Long removed = sum(commit.removes(), recordsOfRemovedFile);
        return new RowChanges(added == null ? 0 : added, removed == null ? 0 : removed, 0,
                added != null && removed != null);
    }

    private static boolean noDataChange(DeltaCommit commit) {
        return commit.adds().stream().noneMatch(DeltaCommit.FileAction::dataChange)
                && commit.removes().stream().noneMatch(DeltaCommit.FileAction::dataChange);
    }

    /** Records in data-changing files, or null when one of them has no stats (and no fallback knows it). */
    private static Long sum(List<DeltaCommit.FileAction> files, Function<String, Long> fallback) {
        long total = 0;
        for (DeltaCommit.FileAction file : files) {
            if (!file.dataChange()) {
                continue;
            }
            Long records = file.numRecords() != null ? file.numRecords() : fallback.apply(file.path());
            if (records == null) {
                return null;
            }
            total += records;
        }
        return total;
    }
}

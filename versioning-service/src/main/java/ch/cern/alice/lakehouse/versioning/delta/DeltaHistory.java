package ch.cern.alice.lakehouse.versioning.delta;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** What happened to a Delta table between two of its versions, as far as its log still tells. */
@Component
public class DeltaHistory {

    /** Longest version range read for one diff; beyond it the figures cover the newest versions only. */
    static final int MAX_VERSIONS_PER_DIFF = 5000;
    /** How far back the add action of a removed file without stats is looked for. */
    static final int MAX_VERSIONS_BACK_FOR_FILE_STATS = 1000;

    private final DeltaLogReader log;
    private final JsonMapper mapper;

    public DeltaHistory(DeltaLogReader log, JsonMapper mapper) {
        this.log = log;
        this.mapper = mapper;
    }

    /**
     * @param operations Delta operations of the versions read, oldest first
     * @param complete   false when some commit files were missing (cleaned up after a checkpoint) or lacked figures
     */
    public record RangeSummary(long rowsAdded, long rowsRemoved, long rowsUpdated, List<String> operations,
                               boolean complete, List<String> notes) {
    }

    /** Row changes of the versions in (from, to]; {@code from} may be null for a table that did not exist. */
    public RangeSummary summarize(String table, Long from, long to) {
        long start = from == null ? 0 : from + 1;
        List<String> notes = new ArrayList<>();
        if (to - start + 1 > MAX_VERSIONS_PER_DIFF) {
            notes.add("range has " + (to - start + 1) + " versions; figures cover the newest "
                    + MAX_VERSIONS_PER_DIFF + " only");
            start = to - MAX_VERSIONS_PER_DIFF + 1;
        }
        long added = 0;
        long removed = 0;
        long updated = 0;
        boolean exact = true;
        List<String> operations = new ArrayList<>();
        List<Long> missing = new ArrayList<>();
        List<Long> rewrites = new ArrayList<>();
        for (long version = start; version <= to; version++) {
            Optional<DeltaCommit> commit = log.commit(table, version);
            if (commit.isEmpty()) {
                missing.add(version);
                continue;
            }
            long before = version;
            RowChanges changes = RowChanges.of(commit.get(), path -> recordsAddedAs(table, path, before));
            if (RowChanges.countsRewrittenFiles(commit.get())) {
                rewrites.add(version);
            }
            added += changes.added();
            removed += changes.removed();
            updated += changes.updated();
            exact &= changes.exact();
            operations.add(commit.get().operation());
        }
        if (!missing.isEmpty()) {
            OptionalLong checkpoint = log.lastCheckpoint(table);
            notes.add("Delta commit files for versions " + ranges(missing) + " are not in " + log.location(table)
                    + "/_delta_log" + checkpoint.stream().mapToObj(c -> " (cleaned up; last checkpoint at version "
                    + c + ")").findFirst().orElse("") + ": row figures cover the other versions only");
        }
        if (!rewrites.isEmpty()) {
            notes.add("versions " + ranges(rewrites) + " rewrote files without row metrics (e.g. a Trino DELETE): "
                    + "the rows of rewritten files count as removed and added again; rowsAdded - rowsRemoved is the "
                    + "net change");
        }
        if (!exact) {
            notes.add("some commits lacked row metrics or file stats: figures are a lower bound");
        }
        return new RangeSummary(added, removed, updated, operations, missing.isEmpty() && exact, notes);
    }

    /** Records of the data file {@code path} from the add action that wrote it before {@code version}, if known. */
    private Long recordsAddedAs(String table, String path, long version) {
        for (long v = version - 1; v >= Math.max(0, version - MAX_VERSIONS_BACK_FOR_FILE_STATS); v--) {
            Optional<DeltaCommit> commit = log.commit(table, v);
            if (commit.isEmpty()) {
                return null;
            }
            for (DeltaCommit.FileAction add : commit.get().adds()) {
                if (path.equals(add.path())) {
                    return add.numRecords();
                }
            }
        }
        return null;
    }

    /**
     * The schema in force at a version: the newest {@code metaData} action at or before it. Empty when the commit
     * holding it was cleaned up (checkpoints are Parquet and are not read here).
     */
    public Optional<TableSchema> schemaAt(String table, long version) {
        for (long v = version; v >= 0; v--) {
            Optional<DeltaCommit> commit = log.commit(table, v);
            if (commit.isEmpty()) {
                return Optional.empty();
            }
            if (commit.get().definesSchema()) {
                return Optional.of(TableSchema.parse(mapper, commit.get().schemaString(),
                        commit.get().partitionColumns()));
            }
        }
        return Optional.empty();
    }

    private static String ranges(List<Long> versions) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < versions.size()) {
            int j = i;
            while (j + 1 < versions.size() && versions.get(j + 1) == versions.get(j) + 1) {
                j++;
            }
            text.append(text.isEmpty() ? "" : ", ").append(versions.get(i));
            if (j > i) {
                text.append('-').append(versions.get(j));
            }
            i = j + 1;
        }
        return text.toString();
    }
}

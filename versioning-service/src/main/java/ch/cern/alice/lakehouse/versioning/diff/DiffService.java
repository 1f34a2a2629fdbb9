package ch.cern.alice.lakehouse.versioning.diff;

import ch.cern.alice.lakehouse.versioning.delta.DeltaHistory;
import ch.cern.alice.lakehouse.versioning.delta.TableSchema;
import ch.cern.alice.lakehouse.versioning.domain.Commit;
import ch.cern.alice.lakehouse.versioning.domain.RefResolver;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Per-table differences between two refs: versions, rows changed in the Delta history between them, schema. */
@Service
public class DiffService {

    public record Side(String ref, String commitId) {
    }

    public record Diff(Side from, Side to, List<TableDiff> tables, int unchangedTables) {
    }

    private final RefResolver refs;
    private final DeltaHistory history;

    public DiffService(RefResolver refs, DeltaHistory history) {
        this.refs = refs;
        this.history = history;
    }

    public Diff diff(String fromRef, String toRef) {
        Commit from = refs.commit(fromRef);
        Commit to = refs.commit(toRef);
        TreeSet<String> names = new TreeSet<>(from.tables().keySet());
        names.addAll(to.tables().keySet());
        List<TableDiff> tables = new ArrayList<>();
        int unchanged = 0;
        for (String table : names) {
            Long fromVersion = from.tables().get(table);
            Long toVersion = to.tables().get(table);
            if (fromVersion != null && fromVersion.equals(toVersion)) {
                unchanged++;
            } else {
                tables.add(tableDiff(table, fromVersion, toVersion));
            }
        }
        return new Diff(new Side(fromRef, from.id()), new Side(toRef, to.id()), tables, unchanged);
    }

    private TableDiff tableDiff(String table, Long fromVersion, Long toVersion) {
        if (toVersion == null) {
            return new TableDiff(table, TableDiff.Status.REMOVED, fromVersion, null, null, null, null, List.of(),
                    null, true, List.of("table is not part of the 'to' ref"));
        }
        List<String> notes = new ArrayList<>();
        DeltaHistory.RangeSummary rows;
        boolean backwards = fromVersion != null && toVersion < fromVersion;
        if (backwards) {
            // 'to' is older: the rows the newer version added are missing from it, and the other way round
            DeltaHistory.RangeSummary forward = history.summarize(table, toVersion, fromVersion);
            rows = new DeltaHistory.RangeSummary(forward.rowsRemoved(), forward.rowsAdded(), forward.rowsUpdated(),
                    forward.operations(), forward.complete(), forward.notes());
            notes.add("'to' has the older version: figures are the changes of versions " + (toVersion + 1) + ".."
                    + fromVersion + " undone");
        } else {
            rows = history.summarize(table, fromVersion, toVersion);
        }
        notes.addAll(rows.notes());
        TableSchema.Diff schema = schemaDiff(table, fromVersion, toVersion, notes);
        return new TableDiff(table, fromVersion == null ? TableDiff.Status.ADDED : TableDiff.Status.CHANGED,
                fromVersion, toVersion, rows.rowsAdded(), rows.rowsRemoved(), rows.rowsUpdated(), rows.operations(),
                schema, rows.complete() && (schema != null), notes);
    }

    private TableSchema.Diff schemaDiff(String table, Long fromVersion, long toVersion, List<String> notes) {
        Optional<TableSchema> after = history.schemaAt(table, toVersion);
        Optional<TableSchema> before = fromVersion == null
                ? Optional.of(new TableSchema(new java.util.LinkedHashMap<>(), List.of()))
                : history.schemaAt(table, fromVersion);
        if (after.isEmpty() || before.isEmpty()) {
            notes.add("schema at version " + (after.isEmpty() ? toVersion : fromVersion) + " is unknown: the commit "
                    + "defining it is no longer in the JSON log (only in a checkpoint)");
            return null;
        }
        return before.get().diffTo(after.get());
    }
}

package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.store.CommitEntity;
import ch.cern.alice.lakehouse.versioning.store.JsonColumns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * An immutable commit: the full map {table -> Delta version} plus who/why/when.
 *
 * @param changed what this commit changed relative to its first parent: table -> new version, {@code null} = removed
 */
public record Commit(String id, List<String> parents, int generation, String author, String message, Instant time,
                     Map<String, Object> properties, SortedMap<String, Long> tables, SortedMap<String, Long> changed) {

    public static final int SHORT_ID_LENGTH = 12;

    public String shortId() {
        return id.substring(0, SHORT_ID_LENGTH);
    }

    static Commit of(CommitEntity row, JsonColumns json) {
        List<String> parents = new ArrayList<>(2);
        if (row.parent1() != null) {
            parents.add(row.parent1());
        }
        if (row.parent2() != null) {
            parents.add(row.parent2());
        }
        return new Commit(row.id(), List.copyOf(parents), row.generation(), row.author(), row.message(),
                row.createdAt(), json.object(row.propertiesJson()), json.tables(row.tablesJson()),
                json.tables(row.changedJson()));
    }

    CommitEntity toRow(String etlRunId, JsonColumns json) {
        return CommitEntity.create(id, parents.isEmpty() ? null : parents.get(0),
                parents.size() > 1 ? parents.get(1) : null, generation, author, message, time,
                json.write(properties), json.write(tables), json.write(changed), etlRunId);
    }

    public String firstParent() {
        return parents.isEmpty() ? null : parents.get(0);
    }
}

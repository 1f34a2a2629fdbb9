package ch.cern.alice.lakehouse.versioning.domain;

import java.time.Instant;
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

    public String firstParent() {
        return parents.isEmpty() ? null : parents.get(0);
    }
}

package ch.cern.alice.lakehouse.query.sql;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a ref pins: one Delta version for every table ({@code v:12}), a point in time ({@code ts:...}), or a version
 * per table (a versioning-service commit, branch or tag).
 */
public sealed interface TableVersions {

    /** The version to read {@code table} at; empty = read the latest (table not pinned by this ref). */
    OptionalLong versionOf(String table);

    default Optional<Instant> timestamp() {
        return Optional.empty();
    }

    /**
     * Whether this ref names every table it holds (a commit's table map): a branch table it does not name is not
     * part of it. {@code v:}/{@code ts:} refs apply to any table.
     */
    default boolean namesItsTables() {
        return false;
    }

    /** The schema-qualified tables ({@code branch_x.t}) this ref pins whose table name is {@code table}. */
    default List<String> qualifiedTablesNamed(String table) {
        return List.of();
    }

    /** The tables this ref names, sorted (empty for {@code v:}/{@code ts:} refs, which apply to any table). */
    default List<String> pinnedTables() {
        return List.of();
    }

    record AllTables(long version) implements TableVersions {
        @Override
        public OptionalLong versionOf(String table) {
            return OptionalLong.of(version);
        }
    }

    record PerTable(Map<String, Long> versions) implements TableVersions {
        public PerTable {
            versions = Map.copyOf(versions);
        }

        @Override
        public OptionalLong versionOf(String table) {
            Long v = versions.get(table);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        @Override
        public boolean namesItsTables() {
            return true;
        }

        @Override
        public List<String> qualifiedTablesNamed(String table) {
            return versions.keySet().stream().filter(key -> key.endsWith("." + table)).sorted().toList();
        }

        @Override
        public List<String> pinnedTables() {
            return versions.keySet().stream().sorted().toList();
        }
    }

    record AtTimestamp(Instant instant) implements TableVersions {
        @Override
        public OptionalLong versionOf(String table) {
            return OptionalLong.empty();
        }

        @Override
        public Optional<Instant> timestamp() {
            return Optional.of(instant);
        }
    }
}

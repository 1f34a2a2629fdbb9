package ch.cern.alice.lakehouse.query.ref;

import java.time.Instant;
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

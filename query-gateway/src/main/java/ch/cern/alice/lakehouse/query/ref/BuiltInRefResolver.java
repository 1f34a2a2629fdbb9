package ch.cern.alice.lakehouse.query.ref;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.TableVersions;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** {@code v:<n>}: Delta version n of every table; {@code ts:<ISO-8601 instant>}: every table as of that time. */
public class BuiltInRefResolver implements RefResolver {

    private static final String VERSION_PREFIX = "v:";
    private static final String TIME_PREFIX = "ts:";

    /** Whether {@code ref} is one of these refs (no branch, tag or commit). */
    public static boolean isBuiltIn(String ref) {
        String trimmed = ref.strip();
        return trimmed.startsWith(VERSION_PREFIX) || trimmed.startsWith(TIME_PREFIX);
    }

    @Override
    public Optional<TableVersions> resolve(String ref) {
        if (ref.startsWith(VERSION_PREFIX)) {
            try {
                long version = Long.parseLong(ref.substring(2).strip());
                if (version < 0) {
                    throw new NumberFormatException();
                }
                return Optional.of(new TableVersions.AllTables(version));
            } catch (NumberFormatException e) {
                throw new InvalidQueryException("ref '" + ref + "': v: needs a Delta version number >= 0, e.g. v:3");
            }
        }
        if (ref.startsWith(TIME_PREFIX)) {
            try {
                return Optional.of(new TableVersions.AtTimestamp(Instant.parse(ref.substring(3).strip())));
            } catch (DateTimeParseException e) {
                throw new InvalidQueryException(
                        "ref '" + ref + "': ts: needs an ISO-8601 instant, e.g. ts:2026-01-01T00:00:00Z");
            }
        }
        return Optional.empty();
    }
}

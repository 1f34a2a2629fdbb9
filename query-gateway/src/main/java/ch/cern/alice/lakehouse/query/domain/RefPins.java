package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.sql.TableVersions;

import java.util.Optional;

/**
 * Turns the ref a query is sent with into the table versions it pins. Owned by the execution core and implemented
 * by the {@code ref} feature (built-in {@code v:}/{@code ts:} refs, versioning-service branches, tags and commits).
 */
public interface RefPins {

    /**
     * @return empty for no ref (read the latest versions)
     * @throws ch.cern.alice.lakehouse.query.sql.InvalidQueryException for an unknown or malformed ref (400)
     */
    Optional<TableVersions> resolve(String ref);
}

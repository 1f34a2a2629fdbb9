package ch.cern.alice.lakehouse.query.ref;

import ch.cern.alice.lakehouse.query.sql.TableVersions;

import java.util.Optional;

/** Turns a ref of a query (v:12, ts:2026-01-01T00:00:00Z, main, a tag or commit id) into table versions. */
public interface RefResolver {

    /** @return empty when this resolver does not handle this kind of ref */
    Optional<TableVersions> resolve(String ref);
}

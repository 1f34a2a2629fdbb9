package ch.cern.alice.lakehouse.query.ref;

import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient;

import java.util.Optional;

/** Branches, tags and commits: asks versioning-service {@code GET /api/v1/versions/refs/{ref}}. */
public class HttpRefResolver implements RefResolver {

    private final VersioningClient versioning;

    public HttpRefResolver(VersioningClient versioning) {
        this.versioning = versioning;
    }

    @Override
    public Optional<TableVersions> resolve(String ref) {
        return Optional.of(new TableVersions.PerTable(versioning.ref(ref).tables()));
    }
}

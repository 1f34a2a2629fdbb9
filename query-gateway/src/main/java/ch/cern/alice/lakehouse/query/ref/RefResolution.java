package ch.cern.alice.lakehouse.query.ref;

import ch.cern.alice.lakehouse.query.domain.RefPins;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tries the built-in refs first, then versioning-service when {@code LAKEHOUSE_VERSIONING_URL} is set. */
@Component
public class RefResolution implements RefPins {

    private final List<RefResolver> resolvers = new ArrayList<>();
    private final boolean versioningConfigured;

    public RefResolution(VersioningClient versioning) {
        resolvers.add(new BuiltInRefResolver());
        versioningConfigured = versioning.configured();
        if (versioningConfigured) {
            resolvers.add(new HttpRefResolver(versioning));
        }
    }

    /** @return empty for no ref (read the latest versions) */
    @Override
    public Optional<TableVersions> resolve(String ref) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        String trimmed = ref.strip();
        for (RefResolver resolver : resolvers) {
            Optional<TableVersions> versions = resolver.resolve(trimmed);
            if (versions.isPresent()) {
                return versions;
            }
        }
        if (!versioningConfigured && "main".equals(trimmed)) {
            return Optional.empty(); // without versioning-service, main is simply the latest state
        }
        throw new InvalidQueryException("unknown ref '" + ref + "': use v:<delta version> or ts:<ISO instant>"
                + (versioningConfigured ? ", or a branch, tag or commit id" : " (versioning-service not configured)"));
    }
}

package ch.cern.alice.lakehouse.collector.auth;

import java.util.Map;
import java.util.Optional;

/**
 * The configured site API keys, held only as SHA-256 hashes. A presented key is hashed and looked up; the plain key
 * is never stored.
 */
public final class SiteKeyRegistry {

    private final Map<String, SiteGrant> grantsByKeyHash;

    SiteKeyRegistry(Map<String, SiteGrant> grantsByKeyHash) {
        this.grantsByKeyHash = Map.copyOf(grantsByKeyHash);
    }

    public Optional<SiteGrant> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(grantsByKeyHash.get(ApiKeyHash.of(presentedKey.strip())));
    }

    public int size() {
        return grantsByKeyHash.size();
    }
}

package ch.cern.alice.lakehouse.webui.proxy;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One proxied service and the API path prefixes it owns.
 *
 * @param name     service name used in error messages (e.g. {@code query-gateway})
 * @param baseUrl  scheme, host and port of the service (a path prefix is allowed)
 * @param prefixes request paths served by it: a path matches a prefix if equal to it or below it
 */
public record Backend(String name, URI baseUrl, List<String> prefixes) {

    public Backend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl of " + name);
        if (baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException(name + " URL must be absolute like http://host:port, got " + baseUrl);
        }
        prefixes = List.copyOf(prefixes);
    }

    public boolean serves(String path) {
        return prefixes.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    /** The backend URL for a raw (still encoded) request path and query string. */
    public URI target(String rawPath, String rawQuery) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
    }
}

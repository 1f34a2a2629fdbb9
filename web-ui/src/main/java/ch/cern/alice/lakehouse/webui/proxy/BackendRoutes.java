package ch.cern.alice.lakehouse.webui.proxy;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** Which service answers which {@code /api/v1} path (see docs/contracts.md). */
@Component
public class BackendRoutes {

    private final List<Backend> backends;

    public BackendRoutes(BackendProperties urls) {
        this.backends = List.of(
                new Backend("query-gateway", urls.queryUrl(),
                        List.of("/api/v1/queries", "/api/v1/saved-queries", "/api/v1/catalog")),
                new Backend("versioning-service", urls.versioningUrl(), List.of("/api/v1/versions")),
                new Backend("etl-service", urls.etlUrl(), List.of("/api/v1/etl")),
                new Backend("collector-service", urls.collectorUrl(), List.of("/api/v1/stats")),
                new Backend("ingest-service", urls.ingestUrl(), List.of("/api/v1/ingest")));
    }

    public Optional<Backend> route(String path) {
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
            return Optional.empty();
        }
        return backends.stream().filter(b -> b.serves(path)).findFirst();
    }

    public List<Backend> all() {
        return backends;
    }
}

package ch.cern.alice.lakehouse.webui.proxy;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;

/**
 * Where the proxied services live (env {@code LAKEHOUSE_QUERY_URL}, {@code LAKEHOUSE_VERSIONING_URL},
 * {@code LAKEHOUSE_ETL_URL}, {@code LAKEHOUSE_COLLECTOR_URL}, {@code LAKEHOUSE_INGEST_URL}).
 *
 * @param connectTimeout how long to wait for a TCP connection before reporting the backend as unreachable
 */
@ConfigurationProperties("lakehouse.webui")
public record BackendProperties(URI queryUrl, URI versioningUrl, URI etlUrl, URI collectorUrl, URI ingestUrl,
                                Duration connectTimeout) {

    public BackendProperties {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(3) : connectTimeout;
    }
}

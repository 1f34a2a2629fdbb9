package ch.cern.alice.lakehouse.query.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Trino coordinator ({@code LAKEHOUSE_TRINO_URL}, {@code LAKEHOUSE_TRINO_USER}); catalog/schema of the lake. */
@ConfigurationProperties("lakehouse.trino")
public record TrinoProperties(String url, String user, String catalog, String schema) {
}

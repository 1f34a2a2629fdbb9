package ch.cern.alice.lakehouse.query.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * versioning-service ({@code LAKEHOUSE_VERSIONING_URL}; blank = not deployed, only v:/ts: refs work) and the
 * service account used to call it ({@code LAKEHOUSE_SERVICE_USER}, {@code LAKEHOUSE_SERVICE_PASSWORD}).
 */
@ConfigurationProperties("lakehouse.versioning")
public record VersioningProperties(String url, String user, String password) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }
}

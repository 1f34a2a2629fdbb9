package ch.cern.alice.lakehouse.query.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Trino's client protocol on its own HTTPS port (env {@code QUERY_PROTOCOL_*}, docs/security.md "Researchers' own
 * tools").
 *
 * @param port             the HTTPS port of the protocol ({@code QUERY_PROTOCOL_PORT}, default 8443); it listens on
 *                         the service's {@code server.address} like the REST API
 * @param keystore         the server's key and certificate, a PKCS12 file ({@code QUERY_PROTOCOL_KEYSTORE}); empty =
 *                         the protocol is off
 * @param keystorePassword its password ({@code QUERY_PROTOCOL_KEYSTORE_PASSWORD})
 * @param clientTimeout    a query whose client fetched nothing for this long is ended in Trino (abandoned)
 */
@ConfigurationProperties("query.protocol")
public record ProtocolProperties(Integer port, String keystore, String keystorePassword, Duration clientTimeout) {

    public boolean enabled() {
        return keystore != null && !keystore.isBlank();
    }

    public int portOrDefault() {
        return port == null ? 8443 : port;
    }

    public Duration clientTimeoutOrDefault() {
        return clientTimeout == null ? Duration.ofMinutes(5) : clientTimeout;
    }
}

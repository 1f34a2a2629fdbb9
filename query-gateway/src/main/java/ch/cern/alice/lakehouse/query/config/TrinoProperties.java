package ch.cern.alice.lakehouse.query.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Trino coordinator and the gateway's login there ({@code LAKEHOUSE_TRINO_URL}, {@code LAKEHOUSE_TRINO_USER},
 * {@code LAKEHOUSE_TRINO_PASSWORD}, {@code LAKEHOUSE_TRINO_TRUSTSTORE}, {@code LAKEHOUSE_TRINO_TRUSTSTORE_PASSWORD});
 * catalog/schema of the lake.
 *
 * @param password           the gateway principal's password; when set, the connection uses TLS (Trino takes
 *                           passwords over HTTPS only) and verifies the server's certificate
 * @param truststore         the certificate(s) to verify Trino with: a PEM file (the stacks write Trino's own
 *                           certificate as {@code trino.pem}) or a JKS/PKCS12 trust store; empty = the JDK's CAs
 * @param truststorePassword the trust store's password (JKS/PKCS12 only)
 */
@ConfigurationProperties("lakehouse.trino")
public record TrinoProperties(String url, String user, String password, String truststore, String truststorePassword,
                              String catalog, String schema) {

    public boolean authenticated() {
        return password != null && !password.isBlank();
    }
}

package ch.cern.alice.lakehouse.query.trino;

import ch.cern.alice.lakehouse.query.config.TrinoProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens JDBC connections to Trino; one per query so that a cancel or timeout never affects another one.
 * <p>
 * The gateway logs in as its own principal ({@code LAKEHOUSE_TRINO_USER}, default {@code gateway}, with
 * {@code LAKEHOUSE_TRINO_PASSWORD} over HTTPS) and runs every user's statement as that user (JDBC
 * {@code sessionUser}; Trino's impersonation rules let only the gateway's principal do so), so that Trino's access
 * rules, resource groups and query list see the real user. Only the gateway's own maintenance runs as the gateway
 * itself ({@link #openAsGateway}): registering tables and creating schemas, flushing the metadata cache, killing
 * queries a previous gateway process left running.
 */
@Component
public class TrinoConnections {

    private static final Logger log = LoggerFactory.getLogger(TrinoConnections.class);

    private final TrinoProperties trino;

    public TrinoConnections(TrinoProperties trino) {
        this.trino = trino;
        if (!trino.authenticated()) {
            log.warn("LAKEHOUSE_TRINO_PASSWORD is not set: connecting to Trino without a login, which a secured "
                    + "Trino refuses (docs/security.md#trino)");
        }
    }

    /**
     * A connection whose statements run as {@code endUser}.
     *
     * @param endUser  platform user on whose behalf the query runs (Trino's session user; also sent as client info)
     * @param timeout  enforced by Trino itself via the session property query_max_execution_time
     * @throws SQLException when {@code endUser} is the gateway's own Trino user: a platform user of that name would
     *                      otherwise get the gateway's rights
     */
    public Connection open(String endUser, Duration timeout) throws SQLException {
        if (endUser == null || endUser.isBlank() || endUser.equals(trino.user())) {
            throw new SQLException("the user name '" + endUser + "' cannot run queries in Trino: it is the query "
                    + "gateway's own Trino principal", "28000");
        }
        return connect(endUser, endUser, timeout);
    }

    /** A connection whose statements run as the gateway's own principal: only for the gateway's maintenance. */
    public Connection openAsGateway(Duration timeout) throws SQLException {
        return connect(null, "query-gateway", timeout);
    }

    private Connection connect(String sessionUser, String clientInfo, Duration timeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", trino.user());
        boolean truststore = trino.truststore() != null && !trino.truststore().isBlank();
        if (trino.authenticated()) {
            props.setProperty("password", trino.password());
        }
        // Trino takes passwords over HTTPS only; the certificate is always verified (SSLVerification FULL)
        if ((trino.authenticated() || truststore) && !inUrl("SSL")) {
            props.setProperty("SSL", "true");
        }
        if (truststore && !inUrl("SSLTrustStorePath")) {
            props.setProperty("SSLTrustStorePath", trino.truststore());
            if (trino.truststorePassword() != null && !trino.truststorePassword().isBlank()) {
                props.setProperty("SSLTrustStorePassword", trino.truststorePassword());
            }
        }
        if (sessionUser != null) {
            props.setProperty("sessionUser", sessionUser);
        }
        props.setProperty("source", "query-gateway");
        props.setProperty("clientInfo", clientInfo);
        props.setProperty("sessionProperties", "query_max_execution_time:" + Math.max(1, timeout.toMillis()) + "ms");
        Connection connection = DriverManager.getConnection(trino.url(), props);
        connection.setCatalog(trino.catalog());
        connection.setSchema(trino.schema());
        return connection;
    }

    /** Whether the URL sets the driver property itself (the driver refuses a property set twice). */
    private boolean inUrl(String property) {
        String url = trino.url();
        int query = url.indexOf('?');
        return query >= 0 && ("&" + url.substring(query + 1)).contains("&" + property + "=");
    }

    public String catalog() {
        return trino.catalog();
    }

    public String schema() {
        return trino.schema();
    }
}

package ch.cern.alice.lakehouse.query.trino;

import ch.cern.alice.lakehouse.query.config.TrinoProperties;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** Opens JDBC connections to Trino; one per query so that a cancel or timeout never affects another one. */
@Component
public class TrinoConnections {

    private final TrinoProperties trino;

    public TrinoConnections(TrinoProperties trino) {
        this.trino = trino;
    }

    /**
     * @param endUser  platform user on whose behalf the query runs (sent as client info, shown in Trino's UI)
     * @param timeout  enforced by Trino itself via the session property query_max_execution_time
     */
    public Connection open(String endUser, Duration timeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", trino.user());
        props.setProperty("source", "query-gateway");
        props.setProperty("clientInfo", endUser);
        props.setProperty("sessionProperties", "query_max_execution_time:" + Math.max(1, timeout.toMillis()) + "ms");
        Connection connection = DriverManager.getConnection(trino.url(), props);
        connection.setCatalog(trino.catalog());
        connection.setSchema(trino.schema());
        return connection;
    }

    public String catalog() {
        return trino.catalog();
    }

    public String schema() {
        return trino.schema();
    }
}

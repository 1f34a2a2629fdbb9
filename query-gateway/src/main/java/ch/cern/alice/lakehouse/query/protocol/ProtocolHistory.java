package ch.cern.alice.lakehouse.query.protocol;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** What the query history keeps beyond the REST API's columns for a protocol query: its client and rows sent. */
@Repository
public class ProtocolHistory {

    private final JdbcTemplate jdbc;

    public ProtocolHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void client(String id, String client) {
        jdbc.update("UPDATE query.query_history SET client = ? WHERE id = ?", client, id);
    }

    /** The rows the client received (the gateway keeps none of a protocol query's rows). */
    public void rows(String id, long rows) {
        jdbc.update("UPDATE query.query_history SET row_count = ? WHERE id = ?", rows, id);
    }
}

package ch.cern.alice.lakehouse.query.history;

import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Running queries live in the memory of the gateway process, so a restart loses them. At start-up, before the
 * first request is served, the history rows a previous process left QUEUED or RUNNING are ended as FAILED with
 * {@link #ERROR}, and their Trino queries, if still running, are killed (nobody would fetch their results).
 * Assumes one gateway process per database, as deployed.
 */
@Component
public class InterruptedQueries implements SmartInitializingSingleton {

    public static final String ERROR = "interrupted: the query gateway restarted while the query was queued or "
            + "running; run it again";

    private static final Logger log = LoggerFactory.getLogger(InterruptedQueries.class);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern TRINO_QUERY_ID = Pattern.compile("[a-z0-9_]+");

    private final QueryHistoryStore history;
    private final TrinoConnections connections;

    public InterruptedQueries(QueryHistoryStore history, TrinoConnections connections) {
        this.history = history;
        this.connections = connections;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<HistoryEntry> ended = history.failUnfinished(ERROR);
        if (ended.isEmpty()) {
            return;
        }
        log.warn("{} queries were left unfinished by a previous gateway process and are now FAILED", ended.size());
        ended.stream().map(HistoryEntry::trinoQueryId).filter(id -> id != null).forEach(this::killInTrino);
    }

    private void killInTrino(String trinoQueryId) {
        if (!TRINO_QUERY_ID.matcher(trinoQueryId).matches()) {
            log.warn("not killing Trino query '{}': not a Trino query id", trinoQueryId);
            return;
        }
        // CALL takes no ? parameters: the id is checked above, so it can stand in the SQL text
        try (Connection c = connections.openAsGateway(KILL_TIMEOUT); Statement kill = c.createStatement()) {
            kill.execute("CALL system.runtime.kill_query(query_id => '" + trinoQueryId + "', "
                    + "message => 'query-gateway restarted: nobody is waiting for this query any more')");
            log.info("killed orphaned Trino query {}", trinoQueryId);
        } catch (SQLException e) {
            // most often it has ended already, or Trino is not up yet (it then abandons the query by itself)
            log.info("orphaned Trino query {} not killed: {}", trinoQueryId, e.getMessage());
        }
    }
}

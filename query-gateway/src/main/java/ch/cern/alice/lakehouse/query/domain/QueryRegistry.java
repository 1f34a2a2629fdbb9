package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** Live and recently finished queries, in memory; the oldest finished ones are dropped beyond the retention. */
@Component
public class QueryRegistry {

    private final Map<String, QueryExecution> byId = new LinkedHashMap<>();
    private final Map<String, Integer> exports = new HashMap<>();
    private final int retained;

    public QueryRegistry(QueryProperties properties) {
        this.retained = properties.retainedQueries();
    }

    /** Adds the query unless its user already has {@code maxActive} queries queued or running or exports running. */
    public synchronized void add(QueryExecution execution, int maxActive) {
        requireBelowLimit(execution.user(), maxActive);
        byId.put(execution.id(), execution);
        evictOldFinished();
    }

    /**
     * Counts a running export against {@code user}'s limit like a query, until the returned slot is closed.
     *
     * @throws TooManyQueriesException (429) when the user already has {@code maxActive} queries or exports
     */
    public synchronized AutoCloseable startExport(String user, int maxActive) {
        requireBelowLimit(user, maxActive);
        exports.merge(user, 1, Integer::sum);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                synchronized (this) {
                    exports.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
                }
            }
        };
    }

    private void requireBelowLimit(String user, int maxActive) {
        long queries = byId.values().stream().filter(q -> q.user().equals(user) && !q.status().isDone()).count();
        int running = exports.getOrDefault(user, 0);
        if (queries + running >= maxActive) {
            throw new TooManyQueriesException("user " + user + " already has " + queries + " queries queued or "
                    + "running and " + running + " exports running (limit " + maxActive + " together); wait for one "
                    + "to finish or cancel it", false);
        }
    }

    public synchronized Optional<QueryExecution> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized void remove(String id) {
        byId.remove(id);
    }

    private void evictOldFinished() {
        int excess = byId.size() - retained;
        Iterator<QueryExecution> it = byId.values().iterator();
        while (excess > 0 && it.hasNext()) {
            if (it.next().status().isDone()) {
                it.remove();
                excess--;
            }
        }
    }
}

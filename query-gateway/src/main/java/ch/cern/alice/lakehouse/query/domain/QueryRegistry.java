package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import org.springframework.stereotype.Component;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Live and recently finished queries, in memory; the oldest finished ones are dropped beyond the retention. */
@Component
public class QueryRegistry {

    private final Map<String, QueryExecution> byId = new LinkedHashMap<>();
    private final int retained;

    public QueryRegistry(QueryProperties properties) {
        this.retained = properties.retainedQueries();
    }

    /** Adds the query unless its user already has {@code maxActive} queries queued or running. */
    public synchronized void add(QueryExecution execution, int maxActive) {
        long active = byId.values().stream()
                .filter(q -> q.user().equals(execution.user()) && !q.status().isDone()).count();
        if (active >= maxActive) {
            throw new TooManyQueriesException("user " + execution.user() + " already has " + active
                    + " queries queued or running (limit " + maxActive + "); wait for one to finish or cancel it",
                    false);
        }
        byId.put(execution.id(), execution);
        evictOldFinished();
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

package ch.cern.alice.lakehouse.query.history;

import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.QueryHistory;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every query a user ran (schema {@code query}, table {@code query_history}), on {@link QueryHistoryRepository}. */
@Component
public class QueryHistoryStore implements QueryHistory {

    /** Newest first; the id breaks ties so pages do not overlap. */
    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id"));

    private final QueryHistoryRepository rows;

    public QueryHistoryStore(QueryHistoryRepository rows) {
        this.rows = rows;
    }

    @Override
    public void insert(QueryExecution q) {
        rows.save(new HistoryRow(q.id(), q.user(), q.request().originalSql(), q.request().ref(), q.executedSql(),
                q.status().name(), q.request().savedQueryId(), q.createdAt()));
    }

    @Override
    public void finished(QueryExecution q) {
        rows.markFinished(q.id(), q.status().name(), q.trinoQueryId(), (long) q.rowCount(), q.truncated(), q.error(),
                q.finishedAt(), q.durationMs(), q.commitId());
    }

    /** Records that the query reached Trino; a row is left RUNNING only if the gateway dies before its end. */
    @Override
    public void running(QueryExecution q) {
        rows.markRunning(q.id(), q.trinoQueryId());
    }

    /** The client that sent a query over Trino's client protocol. */
    public void client(String id, String client) {
        rows.setClient(id, client);
    }

    /** The rows a protocol query's client received (the gateway keeps none of them). */
    public void rows(String id, long rowCount) {
        rows.setRowCount(id, rowCount);
    }

    /**
     * Ends every query still QUEUED or RUNNING as FAILED with {@code error}: called at start-up, when no query of
     * this process exists yet, so such rows were left by a gateway process that stopped without recording them.
     *
     * @return the rows ended, with the Trino query id if they had reached Trino
     */
    @Transactional
    public List<HistoryEntry> failUnfinished(String error) {
        Instant now = Instant.now();
        List<HistoryRow> unfinished = rows.findByStatusIn(List.of("QUEUED", "RUNNING"));
        unfinished.forEach(row -> row.fail(error, now));
        return rows.saveAll(unfinished).stream().map(HistoryRow::toEntry).toList();
    }

    public Optional<HistoryEntry> find(String id) {
        return rows.findById(id).map(HistoryRow::toEntry);
    }

    public List<HistoryEntry> ofUser(String user, int page, int size) {
        return rows.findByUsername(user, PageRequest.of(page, size, NEWEST_FIRST)).stream().map(HistoryRow::toEntry)
                .toList();
    }

    public long countOfUser(String user) {
        return rows.countByUsername(user);
    }
}

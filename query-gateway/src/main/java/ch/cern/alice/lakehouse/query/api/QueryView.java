package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.domain.Column;
import ch.cern.alice.lakehouse.query.domain.Progress;
import ch.cern.alice.lakehouse.query.domain.QueryExecution;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/queries/{id}}: state, progress and the first page of rows. */
public record QueryView(String id, String user, String sql, String ref, String executedSql, String status,
                        Progress progress, List<Column> columns, List<List<Object>> rows, int rowCount,
                        boolean truncated, String error, String trinoQueryId, Long savedQueryId,
                        Instant createdAt, Instant finishedAt, Long durationMs) {

    static QueryView of(QueryExecution q, int pageSize) {
        return new QueryView(q.id(), q.user(), q.request().originalSql(), q.request().ref(), q.executedSql(),
                q.status().name(), q.progress(), q.columns(), q.rows(0, pageSize), q.rowCount(), q.truncated(),
                q.error(), q.trinoQueryId(), q.request().savedQueryId(), q.createdAt(), q.finishedAt(),
                q.durationMs());
    }
}

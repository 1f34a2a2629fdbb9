package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.history.HistoryEntry;
import ch.cern.alice.lakehouse.query.trino.Column;
import ch.cern.alice.lakehouse.query.trino.Progress;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/queries/{id}}: state, progress and the first page of rows; {@code commitId} is the versioning
 * commit that pinned what a write on a branch wrote (null for reads); {@code truncatedReason} names the cap that cut
 * the result ({@code QUERY_MAX_RESULT_ROWS}/maxRows or {@code QUERY_MAX_RESULT_BYTES}), null when it is complete or
 * read back from the history.
 */
public record QueryView(String id, String user, String sql, String ref, String executedSql, String status,
                        Progress progress, List<Column> columns, List<List<Object>> rows, int rowCount,
                        boolean truncated, String error, String trinoQueryId, Long savedQueryId,
                        Instant createdAt, Instant finishedAt, Long durationMs, String commitId,
                        String truncatedReason) {

    static QueryView of(QueryExecution q, int pageSize) {
        return new QueryView(q.id(), q.user(), q.request().originalSql(), q.request().ref(), q.executedSql(),
                q.status().name(), q.progress(), q.columns(), q.rows(0, pageSize), q.rowCount(), q.truncated(),
                q.error(), q.trinoQueryId(), q.request().savedQueryId(), q.createdAt(), q.finishedAt(),
                q.durationMs(), q.commitId(), q.truncatedReason());
    }

    /** A query this process no longer holds: its recorded state, without rows or progress. */
    static QueryView of(HistoryEntry h) {
        return new QueryView(h.id(), h.user(), h.sql(), h.ref(), h.executedSql(), h.status(), Progress.NONE,
                List.of(), List.of(), h.rowCount() == null ? 0 : Math.toIntExact(h.rowCount()), h.truncated(),
                h.error(), h.trinoQueryId(), h.savedQueryId(), h.createdAt(), h.finishedAt(), h.durationMs(),
                h.commitId(), null);
    }
}

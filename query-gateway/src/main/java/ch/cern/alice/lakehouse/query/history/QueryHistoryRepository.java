package ch.cern.alice.lakehouse.query.history;

import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.QueryHistory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every query a user ran (schema {@code query}, table {@code query_history}). */
@Repository
public class QueryHistoryRepository implements QueryHistory {

    private static final RowMapper<HistoryEntry> MAPPER = (rs, i) -> new HistoryEntry(
            rs.getString("id"), rs.getString("username"), rs.getString("sql_text"), rs.getString("ref"),
            rs.getString("executed_sql"), rs.getString("status"), (Long) rs.getObject("saved_query_id"),
            rs.getString("trino_query_id"), (Long) rs.getObject("row_count"), rs.getBoolean("truncated"),
            rs.getString("error"), toInstant(rs.getTimestamp("created_at")),
            toInstant(rs.getTimestamp("finished_at")), (Long) rs.getObject("duration_ms"),
            rs.getString("commit_id"));

    private final JdbcTemplate jdbc;

    public QueryHistoryRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(QueryExecution q) {
        jdbc.update("INSERT INTO query.query_history (id, username, sql_text, ref, executed_sql, status, "
                        + "saved_query_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                q.id(), q.user(), q.request().originalSql(), q.request().ref(), q.executedSql(), q.status().name(),
                q.request().savedQueryId(), Timestamp.from(q.createdAt()));
    }

    @Override
    public void finished(QueryExecution q) {
        jdbc.update("UPDATE query.query_history SET status = ?, trino_query_id = ?, row_count = ?, truncated = ?, "
                        + "error = ?, finished_at = ?, duration_ms = ?, commit_id = ? WHERE id = ?",
                q.status().name(), q.trinoQueryId(), (long) q.rowCount(), q.truncated(), q.error(),
                q.finishedAt() == null ? null : Timestamp.from(q.finishedAt()), q.durationMs(), q.commitId(), q.id());
    }

    /** Records that the query reached Trino; a row is left RUNNING only if the gateway dies before its end. */
    @Override
    public void running(QueryExecution q) {
        jdbc.update("UPDATE query.query_history SET status = 'RUNNING', trino_query_id = ? "
                + "WHERE id = ? AND status = 'QUEUED'", q.trinoQueryId(), q.id());
    }

    /**
     * Ends every query still QUEUED or RUNNING as FAILED with {@code error}: called at start-up, when no query of
     * this process exists yet, so such rows were left by a gateway process that stopped without recording them.
     *
     * @return the rows ended, with the Trino query id if they had reached Trino
     */
    public List<HistoryEntry> failUnfinished(String error) {
        return jdbc.query("UPDATE query.query_history SET status = 'FAILED', error = ?, finished_at = now(), "
                + "duration_ms = CAST(EXTRACT(EPOCH FROM now() - created_at) * 1000 AS BIGINT) "
                + "WHERE status IN ('QUEUED', 'RUNNING') RETURNING *", MAPPER, error);
    }

    public Optional<HistoryEntry> find(String id) {
        return jdbc.query("SELECT * FROM query.query_history WHERE id = ?", MAPPER, id).stream().findFirst();
    }

    public List<HistoryEntry> ofUser(String user, int page, int size) {
        return jdbc.query("SELECT * FROM query.query_history WHERE username = ? ORDER BY created_at DESC, id "
                + "LIMIT ? OFFSET ?", MAPPER, user, size, (long) page * size);
    }

    public long countOfUser(String user) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM query.query_history WHERE username = ?", Long.class, user);
        return n == null ? 0 : n;
    }

    private static Instant toInstant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}

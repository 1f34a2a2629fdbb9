package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.history.QueryHistoryRepository;
import ch.cern.alice.lakehouse.query.trino.JdbcValues;
import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import io.trino.jdbc.QueryStats;
import io.trino.jdbc.TrinoStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs one query on Trino on an executor thread, keeping its first rows, progress and final state. */
@Component
public class QueryRunner {

    private static final Logger log = LoggerFactory.getLogger(QueryRunner.class);

    private final TrinoConnections connections;
    private final QueryHistoryRepository history;
    private final long maxResultBytes;

    public QueryRunner(TrinoConnections connections, QueryHistoryRepository history, QueryProperties limits) {
        this.connections = connections;
        this.history = history;
        this.maxResultBytes = limits.maxResultBytesOrDefault();
    }

    public void run(QueryExecution q, Duration timeout) {
        if (q.status().isDone()) {
            return; // cancelled while queued
        }
        boolean statementSucceeded = false;
        try (Connection connection = connections.open(q.user(), timeout);
             Statement statement = connection.createStatement()) {
            TrinoStatement trino = statement.unwrap(TrinoStatement.class);
            trino.setProgressMonitor(stats -> onProgress(q, stats));
            // client-side backstop in case the coordinator does not enforce query_max_execution_time in time
            statement.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toSeconds() + 30));
            q.running(statement);
            if (q.cancelRequested()) {
                q.finish(QueryStatus.CANCELLED, "cancelled by user");
                return;
            }
            long updateCount = -1;
            if (q.executedSql() != null) {
                if (statement.execute(q.executedSql())) {
                    try (ResultSet rs = statement.getResultSet()) {
                        readRows(q, rs, maxResultBytes);
                    }
                } else {
                    updateCount = statement.getLargeUpdateCount();
                }
            }
            statementSucceeded = true;
            if (q.followUp() != null) {
                q.followUp().afterStatement(q, connection, updateCount);
            }
            Progress last = q.progress();
            q.progress(new Progress(100.0, last.processedRows(), last.processedBytes(), last.elapsedMs()));
            q.finish(QueryStatus.FINISHED, null);
        } catch (SQLException | RuntimeException e) {
            if (q.cancelRequested() && !statementSucceeded) {
                q.finish(QueryStatus.CANCELLED, "cancelled by user");
            } else {
                q.finish(QueryStatus.FAILED, message(e));
            }
        } finally {
            try {
                history.finished(q);
            } catch (RuntimeException e) {
                log.warn("could not record the end of query {} in the history", q.id(), e);
            }
        }
    }

    /**
     * Keeps rows until the row cap or the byte cap (estimated from the values read, see {@link #estimatedSize}):
     * the row over a cap is not kept, the result is marked truncated with the cap named, and returning closes the
     * result set, which ends the query in Trino - a result of a few huge rows stops at the first row over the cap.
     */
    static void readRows(QueryExecution q, ResultSet rs, long maxResultBytes) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<Column> columns = new ArrayList<>(n);
        for (int c = 1; c <= n; c++) {
            columns.add(new Column(meta.getColumnLabel(c), meta.getColumnTypeName(c)));
        }
        q.columns(columns);
        long bytes = 0;
        while (rs.next()) {
            if (q.rowCount() >= q.maxRows()) {
                q.markTruncated("the first " + q.maxRows() + " rows are kept: the row limit of this query "
                        + "(maxRows, at most QUERY_MAX_RESULT_ROWS); export the query for all rows");
                return; // closing the result set ends the query in Trino
            }
            long rowBytes = ROW_OVERHEAD;
            List<Object> row = new ArrayList<>(n);
            for (int c = 1; c <= n; c++) {
                Object value = JdbcValues.read(rs, meta, c);
                rowBytes += estimatedSize(value);
                row.add(value);
            }
            if (bytes + rowBytes > maxResultBytes) {
                q.markTruncated("the first " + q.rowCount() + " rows (about " + bytes + " bytes) are kept: row "
                        + (q.rowCount() + 1) + " (about " + rowBytes + " bytes) would pass the result size cap "
                        + "QUERY_MAX_RESULT_BYTES of " + maxResultBytes + " bytes; select fewer or narrower "
                        + "columns, or export the query");
                return; // closing the result set ends the query in Trino
            }
            bytes += rowBytes;
            q.addRow(row);
        }
    }

    private static final long ROW_OVERHEAD = 16;

    /** Rough size of a kept value: text as UTF-16 (2 bytes a character) plus object overhead, numbers fixed. */
    static long estimatedSize(Object value) {
        if (value == null) {
            return 8;
        }
        if (value instanceof String s) {
            return 40 + 2L * s.length();
        }
        if (value instanceof BigDecimal d) {
            return 40 + d.unscaledValue().bitLength() / 8;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return 16;
        }
        return 40 + 2L * value.toString().length();
    }

    private void onProgress(QueryExecution q, QueryStats stats) {
        if (q.trinoQueryId() == null) {
            q.trinoQueryId(stats.getQueryId());
            recordRunning(q);
        }
        Double percent = stats.getProgressPercentage().isPresent() ? stats.getProgressPercentage().getAsDouble()
                : null;
        q.progress(new Progress(percent, stats.getProcessedRows(), stats.getProcessedBytes(),
                stats.getElapsedTimeMillis()));
    }

    private void recordRunning(QueryExecution q) {
        try {
            history.running(q);
        } catch (RuntimeException e) {
            log.warn("could not record the start of query {} in the history", q.id(), e);
        }
    }

    private static String message(Exception e) {
        Throwable t = e;
        String message = e.getMessage();
        while (message == null && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}

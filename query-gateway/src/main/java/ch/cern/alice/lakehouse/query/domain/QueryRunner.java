package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.trino.Column;
import ch.cern.alice.lakehouse.query.trino.JdbcValues;
import ch.cern.alice.lakehouse.query.trino.Progress;
import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import ch.cern.alice.lakehouse.query.trino.TrinoEndpoint;
import ch.cern.alice.lakehouse.query.trino.TrinoStatementStream;
import io.trino.jdbc.QueryStats;
import io.trino.jdbc.TrinoStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs one query on Trino on an executor thread, keeping its first rows, progress and final state. */
@Component
public class QueryRunner {

    private static final Logger log = LoggerFactory.getLogger(QueryRunner.class);

    private final TrinoConnections connections;
    private final QueryHistory history;
    private final long maxResultBytes;

    private final TrinoEndpoint endpoint;
    private final JsonMapper resultJson;

    public QueryRunner(TrinoConnections connections, TrinoEndpoint endpoint, QueryHistory history,
                       QueryProperties limits) {
        this.connections = connections;
        this.endpoint = endpoint;
        this.history = history;
        this.maxResultBytes = limits.maxResultBytesOrDefault();
        // a single value longer than the whole cap is refused while it is parsed, before it takes the memory
        this.resultJson = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints
                .builder().maxStringLength((int) Math.min(Integer.MAX_VALUE - 16, maxResultBytes / 2)).build())
                .build()).build();
    }

    public void run(QueryExecution q, Duration timeout) {
        if (q.status().isDone()) {
            return; // cancelled while queued
        }
        if (q.read() && q.followUp() == null && q.executedSql() != null) {
            runRead(q, timeout);
            return;
        }
        boolean statementSucceeded = false;
        try (Connection connection = connections.open(q.user(), timeout);
             Statement statement = connection.createStatement()) {
            TrinoStatement trino = statement.unwrap(TrinoStatement.class);
            trino.setProgressMonitor(stats -> onProgress(q, stats));
            // client-side backstop in case the coordinator does not enforce query_max_execution_time in time
            statement.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toSeconds() + 30));
            q.running(statement::cancel);
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
            finishWithAllRows(q);
        } catch (SQLException | RuntimeException | Error e) {
            fail(q, e, q.cancelRequested() && !statementSucceeded);
        } finally {
            recordEnd(q);
        }
    }

    /**
     * A read over Trino's protocol, its rows pulled one by one from the response (see {@link TrinoStatementStream}):
     * the gateway's memory for a query is its kept rows plus the row being read, whatever the rows' width.
     */
    private void runRead(QueryExecution q, Duration timeout) {
        try (TrinoStatementStream stream = TrinoStatementStream.start(endpoint, resultJson, q.user(),
                connections.catalog(), connections.schema(), q.executedSql(), timeout, s -> onProgress(q, s))) {
            q.running(stream::cancel);
            if (q.cancelRequested()) {
                q.finish(QueryStatus.CANCELLED, "cancelled by user");
                return;
            }
            readRows(q, stream, maxResultBytes);
            finishWithAllRows(q);
        } catch (IOException | RuntimeException | Error e) {
            fail(q, e, q.cancelRequested());
        } finally {
            recordEnd(q);
        }
    }

    private static void finishWithAllRows(QueryExecution q) {
        Progress last = q.progress();
        q.progress(new Progress(100.0, last.processedRows(), last.processedBytes(), last.elapsedMs()));
        q.finish(QueryStatus.FINISHED, null);
    }

    /**
     * Ends {@code q} after {@code e}: CANCELLED when the user's cancel caused it, else FAILED. An OutOfMemoryError
     * fails the query too (its memory is released with it); other VM errors are not the query's and propagate.
     */
    private static void fail(QueryExecution q, Throwable e, boolean cancelled) {
        if (e instanceof VirtualMachineError vm && !(vm instanceof OutOfMemoryError)) {
            throw vm;
        }
        if (cancelled) {
            q.finish(QueryStatus.CANCELLED, "cancelled by user");
        } else {
            q.finish(QueryStatus.FAILED, message(e));
        }
    }

    private void recordEnd(QueryExecution q) {
        try {
            history.finished(q);
        } catch (RuntimeException e) {
            log.warn("could not record the end of query {} in the history", q.id(), e);
        }
    }

    /** As {@link #readRows(QueryExecution, ResultSet, long)}, from Trino's protocol; returning ends the query. */
    static void readRows(QueryExecution q, TrinoStatementStream stream, long maxResultBytes) throws IOException {
        long bytes = 0;
        while (true) {
            List<Object> row;
            try {
                row = stream.nextRow();
            } catch (TrinoStatementStream.ValueTooLargeException e) {
                q.columns(stream.columns());
                q.markTruncated(byteCapReason(q.rowCount(), bytes, "with a value of column " + e.column()
                        + " larger than the cap", maxResultBytes));
                return;
            }
            q.columns(stream.columns());
            if (row == null) {
                return;
            }
            if (q.rowCount() >= q.maxRows()) {
                q.markTruncated(rowCapReason(q));
                return;
            }
            long rowBytes = stream.lastRowBytes();
            if (bytes + rowBytes > maxResultBytes) {
                q.markTruncated(byteCapReason(q.rowCount(), bytes, "(about " + rowBytes + " bytes)", maxResultBytes));
                return;
            }
            bytes += rowBytes;
            q.addRow(row);
        }
    }

    private static String rowCapReason(QueryExecution q) {
        return "the first " + q.maxRows() + " rows are kept: the row limit of this query "
                + "(maxRows, at most QUERY_MAX_RESULT_ROWS); export the query for all rows";
    }

    private static String byteCapReason(int kept, long bytes, String nextRow, long maxResultBytes) {
        return "the first " + kept + " rows (about " + bytes + " bytes) are kept: row " + (kept + 1) + " " + nextRow
                + " would pass the result size cap QUERY_MAX_RESULT_BYTES of " + maxResultBytes + " bytes; select "
                + "fewer or narrower columns, or export the query";
    }

    /**
     * Keeps rows until the row cap or the byte cap (estimated from the values read, see {@link TrinoStatementStream#estimatedRowSize}):
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
                q.markTruncated(rowCapReason(q));
                return; // closing the result set ends the query in Trino
            }
            List<Object> row = new ArrayList<>(n);
            for (int c = 1; c <= n; c++) {
                row.add(JdbcValues.read(rs, meta, c));
            }
            long rowBytes = TrinoStatementStream.estimatedRowSize(row);
            if (bytes + rowBytes > maxResultBytes) {
                q.markTruncated(byteCapReason(q.rowCount(), bytes, "(about " + rowBytes + " bytes)", maxResultBytes));
                return; // closing the result set ends the query in Trino
            }
            bytes += rowBytes;
            q.addRow(row);
        }
    }

    private void onProgress(QueryExecution q, TrinoStatementStream stream) {
        if (q.trinoQueryId() == null && stream.queryId() != null) {
            q.trinoQueryId(stream.queryId());
            recordRunning(q);
        }
        q.progress(stream.progress());
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

    private static String message(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "the query gateway ran out of memory while reading this result: select fewer or narrower "
                    + "columns, or export the query (an operator may lower QUERY_MAX_RESULT_BYTES)";
        }
        Throwable t = e;
        String message = e.getMessage();
        while (message == null && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}

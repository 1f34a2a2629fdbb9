package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.trino.Column;
import ch.cern.alice.lakehouse.query.trino.Progress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One query's live state, shared between the thread running it and the HTTP requests reading it. */
public class QueryExecution {

    private final String id;
    private final QueryRequest request;
    private final String executedSql;
    private final int maxRows;
    private final Instant createdAt = Instant.now();

    private volatile QueryStatus status = QueryStatus.QUEUED;
    private volatile Progress progress = Progress.NONE;
    private volatile List<Column> columns = List.of();
    private final List<List<Object>> rows = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean truncated;
    private volatile String truncatedReason;
    private volatile String error;
    private volatile String trinoQueryId;
    private volatile Instant finishedAt;
    private volatile RunningStatement statement;
    private volatile boolean cancelRequested;
    private volatile String commitId;
    private final StatementFollowUp followUp;
    private final boolean read;

    /** A read (query, SHOW, DESCRIBE, EXPLAIN). */
    public QueryExecution(String id, QueryRequest request, String executedSql, int maxRows) {
        this(id, request, executedSql, maxRows, null, true);
    }

    /**
     * @param executedSql null when no Trino statement runs (the follow-up does all the work)
     * @param followUp    null for plain queries
     * @param read        the statement only reads: running it again (an export) changes nothing
     */
    public QueryExecution(String id, QueryRequest request, String executedSql, int maxRows,
                          StatementFollowUp followUp, boolean read) {
        this.id = id;
        this.request = request;
        this.executedSql = executedSql;
        this.maxRows = maxRows;
        this.followUp = followUp;
        this.read = read;
    }

    public synchronized void running(RunningStatement statement) {
        this.statement = statement;
        if (!status.isDone()) {
            status = QueryStatus.RUNNING;
        }
    }

    public synchronized boolean finish(QueryStatus finalStatus, String error) {
        if (status.isDone()) {
            return false;
        }
        this.status = finalStatus;
        this.error = error;
        this.finishedAt = Instant.now();
        this.statement = null;
        if (followUp != null) {
            followUp.release();
        }
        return true;
    }

    /** @return the statement to cancel in Trino, if it runs already */
    public synchronized RunningStatement requestCancel() {
        cancelRequested = true;
        return statement;
    }

    public String id() {
        return id;
    }

    public QueryRequest request() {
        return request;
    }

    public String user() {
        return request.user();
    }

    public String executedSql() {
        return executedSql;
    }

    /** Whether the statement only reads (a write, e.g. INSERT on a branch, is never run again by an export). */
    public boolean read() {
        return read;
    }

    public int maxRows() {
        return maxRows;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public QueryStatus status() {
        return status;
    }

    public Progress progress() {
        return progress;
    }

    public void progress(Progress progress) {
        this.progress = progress;
    }

    public List<Column> columns() {
        return columns;
    }

    public void columns(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public void addRow(List<Object> row) {
        rows.add(row);
    }

    public int rowCount() {
        return rows.size();
    }

    public List<List<Object>> rows(int from, int count) {
        synchronized (rows) {
            int start = Math.min(from, rows.size());
            int end = Math.min(rows.size(), start + count);
            return List.copyOf(rows.subList(start, end));
        }
    }

    public boolean truncated() {
        return truncated;
    }

    /** Why only the first rows were kept (which cap), null when the result is complete. */
    public String truncatedReason() {
        return truncatedReason;
    }

    public void markTruncated(String reason) {
        this.truncatedReason = reason;
        this.truncated = true;
    }

    public String error() {
        return error;
    }

    public String trinoQueryId() {
        return trinoQueryId;
    }

    public void trinoQueryId(String trinoQueryId) {
        this.trinoQueryId = trinoQueryId;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public StatementFollowUp followUp() {
        return followUp;
    }

    /** The versioning commit that pinned what this query wrote on a branch; null for reads. */
    public String commitId() {
        return commitId;
    }

    public void commitId(String commitId) {
        this.commitId = commitId;
    }

    public Long durationMs() {
        Instant end = finishedAt;
        return end == null ? null : end.toEpochMilli() - createdAt.toEpochMilli();
    }
}

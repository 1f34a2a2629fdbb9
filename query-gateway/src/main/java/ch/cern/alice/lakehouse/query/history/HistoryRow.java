package ch.cern.alice.lakehouse.query.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

import java.time.Instant;

/** A row of {@code query.query_history} (schema by Flyway, db/query): one query a user ran. */
@Entity
@Table(schema = "query", name = "query_history")
public class HistoryRow implements Persistable<String> {

    @Id
    private String id;
    private String username;
    @Column(name = "sql_text")
    private String sql;
    private String ref;
    @Column(name = "executed_sql")
    private String executedSql;
    private String status;
    @Column(name = "saved_query_id")
    private Long savedQueryId;
    @Column(name = "trino_query_id")
    private String trinoQueryId;
    @Column(name = "row_count")
    private Long rowCount;
    private boolean truncated;
    private String error;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Column(name = "duration_ms")
    private Long durationMs;
    @Column(name = "commit_id")
    private String commitId;
    private String client;

    /** The id is the query's own: a new row is inserted without reading it first. */
    @Transient
    private boolean isNew;

    protected HistoryRow() {
    }

    /** A query just accepted (QUEUED). */
    HistoryRow(String id, String username, String sql, String ref, String executedSql, String status,
               Long savedQueryId, Instant createdAt) {
        this.id = id;
        this.username = username;
        this.sql = sql;
        this.ref = ref;
        this.executedSql = executedSql;
        this.status = status;
        this.savedQueryId = savedQueryId;
        this.createdAt = createdAt;
        this.isNew = true;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void stored() {
        isNew = false;
    }

    /** Ends a query left QUEUED or RUNNING as FAILED at {@code now}. */
    void fail(String error, Instant now) {
        this.status = "FAILED";
        this.error = error;
        this.finishedAt = now;
        this.durationMs = createdAt == null ? null : now.toEpochMilli() - createdAt.toEpochMilli();
    }

    HistoryEntry toEntry() {
        return new HistoryEntry(id, username, sql, ref, executedSql, status, savedQueryId, trinoQueryId, rowCount,
                truncated, error, createdAt, finishedAt, durationMs, commitId);
    }
}

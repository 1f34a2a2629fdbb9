package ch.cern.alice.lakehouse.query.domain;

/**
 * Where the execution core records each query's life (queued, reached Trino, ended). Owned by the core and
 * implemented by the {@code history} feature, so the core does not depend on how history is stored.
 */
public interface QueryHistory {

    /** The query was accepted (status QUEUED). */
    void insert(QueryExecution q);

    /** The query reached Trino; only moves a QUEUED entry to RUNNING. */
    void running(QueryExecution q);

    /** The query ended (its final status, row count, error, duration and commit). */
    void finished(QueryExecution q);
}

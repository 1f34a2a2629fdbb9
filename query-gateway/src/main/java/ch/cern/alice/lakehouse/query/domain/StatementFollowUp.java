package ch.cern.alice.lakehouse.query.domain;

import java.sql.Connection;
import java.sql.SQLException;

/** Work bound to a query beyond its Trino statement, e.g. pinning a derived table that branch work wrote. */
public interface StatementFollowUp {

    /**
     * Runs on the query's thread once its statement succeeded (or at once when there is none to run); an exception
     * fails the query with its message.
     *
     * @param updateCount rows Trino reported as written, -1 when unknown or no statement ran
     */
    void afterStatement(QueryExecution query, Connection trino, long updateCount) throws SQLException;

    /** Called exactly once when the query ends, however it ends (also when cancelled or refused before running). */
    void release();
}

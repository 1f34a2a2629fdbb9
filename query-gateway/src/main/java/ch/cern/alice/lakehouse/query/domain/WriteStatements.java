package ch.cern.alice.lakehouse.query.domain;

import io.trino.sql.tree.Statement;

import java.util.Optional;

/**
 * Write statements that are not run as sent: owned by the execution core and implemented by the {@code branch}
 * feature (a researcher's write on their branch, pinned by a commit afterwards).
 */
public interface WriteStatements {

    /**
     * @param queryId       the id of the query the statement belongs to
     * @param authorization the caller's Authorization header (a branch write forwards it to versioning-service)
     * @return empty when the statement is not handled here: it is then checked and run as any other statement
     */
    Optional<? extends PreparedWrite> prepare(QueryRequest request, Statement statement, String queryId,
                                              String authorization);

    /**
     * A write statement accepted: the SQL Trino runs (null when Trino runs nothing) and what follows the statement
     * (e.g. the commit that pins its result); holds its resources (locks) until the query ends.
     */
    interface PreparedWrite {

        String executedSql();

        StatementFollowUp commit();
    }
}

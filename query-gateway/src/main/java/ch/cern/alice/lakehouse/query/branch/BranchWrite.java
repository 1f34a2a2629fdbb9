package ch.cern.alice.lakehouse.query.branch;

import ch.cern.alice.lakehouse.query.domain.StatementFollowUp;
import ch.cern.alice.lakehouse.query.domain.WriteStatements;

/**
 * A write statement accepted as branch work: the SQL Trino runs (null for DROP TABLE) and the commit that pins its
 * result on the branch afterwards. Holds the branch's write lock until the query ends.
 */
public record BranchWrite(BranchWriteTarget target, String executedSql, StatementFollowUp commit)
        implements WriteStatements.PreparedWrite {
}

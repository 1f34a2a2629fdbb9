package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.staging.StagingLayout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The ETL claim of docs/contracts.md ({@link StagingLayout#claim}, in its own transaction): the SHARE lock waits for
 * in-flight inserts into the dataset's staging partition to commit, so every row with an id up to the max read under
 * the lock is visible to the run.
 */
final class StagingClaim {

    private StagingClaim() {
    }

    /** @return the inclusive upper bound of the range, at least {@code fromExclusive} */
    static long claimUpperBound(JobConfig config) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword())) {
            c.setAutoCommit(false);
            try {
                long upperBound = StagingLayout.claim(c, config.dataset(), config.fromId());
                c.commit();
                return upperBound;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}

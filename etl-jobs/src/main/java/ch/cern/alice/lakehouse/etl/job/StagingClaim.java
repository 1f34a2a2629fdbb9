package ch.cern.alice.lakehouse.etl.job;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The ETL claim of docs/contracts.md: the SHARE lock waits for in-flight inserts into the dataset's staging
 * partition to commit, so every row with an id up to the max read under the lock is visible to the run.
 */
final class StagingClaim {

    private StagingClaim() {
    }

    /** @return the inclusive upper bound of the range, at least {@code fromExclusive} */
    static long claimUpperBound(JobConfig config) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword())) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                String table = StagingReader.stagingTable(config.dataset());
                st.execute("LOCK TABLE " + table + " IN SHARE MODE");
                try (ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM " + table)) {
                    rs.next();
                    long max = rs.getLong(1);
                    c.commit();
                    return Math.max(max, config.fromId());
                }
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}

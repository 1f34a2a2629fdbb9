package ch.cern.alice.lakehouse.common.staging;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where staged records live in PostgreSQL and how the ETL claims them, shared by ingest-service (writes and creates
 * the partitions), etl-service and etl-jobs (claim, read, delete). Schema from {@code db/staging}: the table
 * {@code staging.records} is list-partitioned by dataset, one partition {@code staging.records_<dataset>} per
 * dataset plus {@code staging.records_default}; ids come from {@code staging.records_id_seq}.
 *
 * <p>The claim (docs/contracts.md): in one transaction, {@link #claimLockSql} takes a SHARE lock on the dataset's
 * partition, which waits for in-flight inserts to commit, so every row with an id up to {@link #claimMaxIdSql}'s
 * answer is visible to the run. {@link #claim} runs both.
 */
public final class StagingLayout {

    public static final String SCHEMA = "staging";
    /** The partitioned table of all staged records. */
    public static final String RECORDS = SCHEMA + ".records";
    /** The partition of rows whose dataset has no partition yet. */
    public static final String DEFAULT_PARTITION = RECORDS + "_default";
    /** The id sequence; a row updated in staging takes a new id from it. */
    public static final String ID_SEQUENCE = RECORDS + "_id_seq";

    private static final String PARTITION_PREFIX = "records_";
    private static final int MAX_IDENTIFIER_LENGTH = 63;
    /** The longest dataset name whose partition name fits PostgreSQL's identifiers. */
    public static final int MAX_DATASET_NAME_LENGTH = MAX_IDENTIFIER_LENGTH - PARTITION_PREFIX.length();

    private StagingLayout() {
    }

    /**
     * The dataset's partition without schema, {@code records_<dataset>}. Dataset names are checked here (lower-case
     * identifiers short enough), so the name is safe to inline in SQL.
     */
    public static String partitionName(String dataset) {
        if (dataset == null || !dataset.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("bad dataset name " + dataset);
        }
        if (dataset.length() > MAX_DATASET_NAME_LENGTH) {
            throw new IllegalArgumentException("dataset name '" + dataset + "' is too long for a staging partition ("
                    + MAX_DATASET_NAME_LENGTH + " characters at most)");
        }
        return PARTITION_PREFIX + dataset;
    }

    /** The dataset's partition, {@code staging.records_<dataset>}. */
    public static String partition(String dataset) {
        return SCHEMA + "." + partitionName(dataset);
    }

    /** First statement of the claim: waits for in-flight inserts into the partition to commit. */
    public static String claimLockSql(String dataset) {
        return "LOCK TABLE " + partition(dataset) + " IN SHARE MODE";
    }

    /** Second statement of the claim, under the lock: the highest staged id (0 when empty). */
    public static String claimMaxIdSql(String dataset) {
        return "SELECT coalesce(max(id), 0) FROM " + partition(dataset);
    }

    /**
     * The claim, on a connection inside a transaction the caller commits (or rolls back) afterwards: the lock is
     * held until then. @return the inclusive upper bound of the run's id range, never below {@code fromExclusive}
     */
    public static long claim(Connection inTransaction, String dataset, long fromExclusive) throws SQLException {
        try (Statement st = inTransaction.createStatement()) {
            st.execute(claimLockSql(dataset));
            try (ResultSet rs = st.executeQuery(claimMaxIdSql(dataset))) {
                rs.next();
                return Math.max(rs.getLong(1), fromExclusive);
            }
        }
    }
}

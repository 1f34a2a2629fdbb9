package ch.cern.alice.lakehouse.etl.staging;

import ch.cern.alice.lakehouse.common.staging.StagingLayout;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The ETL's access to {@code staging.records_<dataset>} (owned by ingest-service, see docs/contracts.md). */
@Repository
public class StagingRepository {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public StagingRepository(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** {@code staging.records_<dataset>}, see {@link StagingLayout#partition}. */
    public static String table(String dataset) {
        return StagingLayout.partition(dataset);
    }

    public boolean exists(String dataset) {
        return jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table(dataset));
    }

    /**
     * The ETL claim ({@link StagingLayout#claim}): the SHARE lock waits for in-flight inserts to commit, so every row
     * up to the max id is visible. @return the inclusive upper bound of the run's range, never below {@code from}
     */
    public long claim(String dataset, long from) {
        if (!exists(dataset)) {
            return from;
        }
        return tx.execute(status -> jdbc.execute(
                (ConnectionCallback<Long>) connection -> StagingLayout.claim(connection, dataset, from)));
    }

    /** Deletes migrated rows: those of the run's range, and leftovers of a run that died after its commit. */
    public int deleteUpTo(String dataset, long toInclusive) {
        if (!exists(dataset)) {
            return 0;
        }
        return jdbc.update("DELETE FROM " + table(dataset) + " WHERE id <= ?", toInclusive);
    }

    public record Counts(long staged, long pending, long maxId) {
    }

    /** Rows staged in total and those above the committed watermark (not migrated yet). */
    public Counts counts(String dataset, long watermark) {
        if (!exists(dataset)) {
            return new Counts(0, 0, 0);
        }
        return jdbc.queryForObject("SELECT count(*), count(*) FILTER (WHERE id > ?), coalesce(max(id), 0) FROM "
                + table(dataset), (rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)), watermark);
    }

    /** Whether any row above the watermark is staged: cheap enough to ask every second (continuous mode). */
    public boolean hasPending(String dataset, long watermark) {
        if (!exists(dataset)) {
            return false;
        }
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + table(dataset)
                + " WHERE id > ?)", Boolean.class, watermark));
    }

    public long pending(String dataset, long watermark) {
        if (!exists(dataset)) {
            return 0;
        }
        return jdbc.queryForObject("SELECT count(*) FROM " + table(dataset) + " WHERE id > ?", Long.class, watermark);
    }
}

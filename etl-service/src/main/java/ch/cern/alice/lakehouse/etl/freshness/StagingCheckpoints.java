package ch.cern.alice.lakehouse.etl.freshness;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.staging.StagingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Takes a checkpoint of each dataset's staging every {@code etl.freshness.checkpoint-interval}: the highest staged id
 * and the newest receive time of the rows up to it ({@code etl.staging_checkpoints}), incrementally (only rows above
 * the previous checkpoint are read, by the id index). Staged rows are deleted once migrated; the newest checkpoint at
 * or below the committed watermark still tells how new the rows in {@code main} are. No hook in the run code:
 * migration and checkpoints only meet at the watermark.
 */
@Component
public class StagingCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(StagingCheckpoints.class);

    private final DatasetCatalog catalog;
    private final JdbcTemplate jdbc;
    private final StagingRepository staging;
    private final RunRepository runs;

    public StagingCheckpoints(DatasetCatalog catalog, JdbcTemplate jdbc, StagingRepository staging,
                              RunRepository runs) {
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.staging = staging;
        this.runs = runs;
    }

    @Scheduled(initialDelayString = "${etl.freshness.checkpoint-interval:15s}",
            fixedDelayString = "${etl.freshness.checkpoint-interval:15s}")
    public void takeAll() {
        for (String dataset : catalog.names()) {
            try {
                take(dataset);
            } catch (DataAccessException e) {
                log.warn("No staging checkpoint of {} this time: {}", dataset, e.getMostSpecificCause().getMessage());
            }
        }
    }

    /** One checkpoint of a dataset (if rows arrived since the last) and pruning of those below the watermark. */
    public void take(String dataset) {
        if (!staging.exists(dataset)) {
            return;
        }
        String table = StagingRepository.table(dataset);
        List<Checkpoint> last = jdbc.query("SELECT id_bound, newest_received_at FROM etl.staging_checkpoints "
                + "WHERE dataset = ? ORDER BY id_bound DESC LIMIT 1", (rs, i) -> new Checkpoint(rs.getLong(1),
                rs.getTimestamp(2)), dataset);
        long previousBound = last.isEmpty() ? 0 : last.get(0).idBound();
        Timestamp previousNewest = last.isEmpty() ? null : last.get(0).newest();
        Checkpoint next = jdbc.queryForObject("SELECT coalesce(max(id), 0), max(received_at) FROM " + table
                + " WHERE id > ?", (rs, i) -> new Checkpoint(rs.getLong(1), rs.getTimestamp(2)), previousBound);
        if (next.idBound() > previousBound) {
            Timestamp newest = previousNewest == null ? next.newest() : next.newest() == null ? previousNewest
                    : (next.newest().after(previousNewest) ? next.newest() : previousNewest);
            jdbc.update("INSERT INTO etl.staging_checkpoints (dataset, id_bound, newest_received_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", dataset, next.idBound(), newest);
        }
        long watermark = runs.committedWatermark(dataset);
        jdbc.update("DELETE FROM etl.staging_checkpoints WHERE dataset = ? AND id_bound < (SELECT max(id_bound) "
                + "FROM etl.staging_checkpoints WHERE dataset = ? AND id_bound <= ?)", dataset, dataset, watermark);
    }

    /** Newest receive time of the rows in main (at or below the committed watermark), null if none known. */
    public Instant newestInMain(String dataset) {
        long watermark = runs.committedWatermark(dataset);
        List<Timestamp> newest = jdbc.queryForList("SELECT newest_received_at FROM etl.staging_checkpoints "
                + "WHERE dataset = ? AND id_bound <= ? ORDER BY id_bound DESC LIMIT 1", Timestamp.class, dataset,
                watermark);
        return newest.isEmpty() || newest.get(0) == null ? null : newest.get(0).toInstant();
    }

    private record Checkpoint(long idBound, Timestamp newest) {
    }
}

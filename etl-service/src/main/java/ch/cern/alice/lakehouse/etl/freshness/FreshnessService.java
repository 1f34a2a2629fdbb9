package ch.cern.alice.lakehouse.etl.freshness;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.staging.StagingRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Freshness per dataset at {@code main}, from the run history, {@link StagingCheckpoints} and staging. Answers are
 * kept {@code etl.freshness.cache} (default 10 s) so that every open web UI page polling it costs one read.
 */
@Service
public class FreshnessService {

    private final DatasetCatalog catalog;
    private final JdbcTemplate jdbc;
    private final RunRepository runs;
    private final StagingRepository staging;
    private final StagingCheckpoints checkpoints;
    private final Duration staleAfter;
    private final Duration cacheFor;
    private volatile FreshnessReport cached;

    public FreshnessService(DatasetCatalog catalog, JdbcTemplate jdbc, RunRepository runs, StagingRepository staging,
                            StagingCheckpoints checkpoints,
                            @Value("${etl.freshness.stale-after:${ETL_FRESHNESS_STALE_AFTER:1h}}") Duration staleAfter,
                            @Value("${etl.freshness.cache:10s}") Duration cacheFor) {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("etl.freshness.stale-after (ETL_FRESHNESS_STALE_AFTER) must be positive");
        }
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.runs = runs;
        this.staging = staging;
        this.checkpoints = checkpoints;
        this.staleAfter = staleAfter;
        this.cacheFor = cacheFor;
    }

    public FreshnessReport report() {
        FreshnessReport current = cached;
        if (current != null && current.asOf().plus(cacheFor).isAfter(Instant.now())) {
            return current;
        }
        current = compute();
        cached = current;
        return current;
    }

    FreshnessReport compute() {
        Instant now = Instant.now();
        List<DatasetFreshness> datasets = new ArrayList<>();
        for (String dataset : catalog.names()) {
            datasets.add(of(dataset, now));
        }
        return new FreshnessReport(now, staleAfter.toSeconds(), datasets);
    }

    private DatasetFreshness of(String dataset, Instant now) {
        Instant newest = checkpoints.newestInMain(dataset);
        Timestamp lastCommit = jdbc.queryForObject("SELECT max(finished_at) FROM etl.runs WHERE dataset = ? "
                + "AND status = 'SUCCEEDED' AND rows_written > 0", Timestamp.class, dataset);
        List<String> lastStatus = jdbc.queryForList("SELECT status FROM etl.runs WHERE dataset = ? "
                + "ORDER BY id DESC LIMIT 1", String.class, dataset);
        DatasetFreshness.Written written = jdbc.queryForObject("SELECT "
                + "coalesce(sum(rows_written) FILTER (WHERE finished_at >= date_trunc('hour', now())), 0), "
                + "coalesce(sum(rows_written) FILTER (WHERE finished_at >= date_trunc('hour', now()) "
                + "- interval '23 hours'), 0), coalesce(sum(rows_written), 0) FROM etl.runs "
                + "WHERE dataset = ? AND status = 'SUCCEEDED'",
                (rs, i) -> new DatasetFreshness.Written(rs.getLong(1), rs.getLong(2), rs.getLong(3)), dataset);
        long watermark = runs.committedWatermark(dataset);
        long waiting = staging.pending(dataset, watermark);
        Instant oldestWaiting = null;
        if (waiting > 0) {
            // ids grow with staging time: the first waiting id is (about) the oldest waiting row
            List<Timestamp> oldest = jdbc.queryForList("SELECT received_at FROM " + StagingRepository.table(dataset)
                    + " WHERE id > ? ORDER BY id LIMIT 1", Timestamp.class, watermark);
            oldestWaiting = oldest.isEmpty() ? null : oldest.get(0).toInstant();
        }
        boolean stale = false;
        String reason = null;
        if (oldestWaiting != null && oldestWaiting.isBefore(now.minus(staleAfter))) {
            stale = true;
            reason = waiting + " rows waiting, the oldest received " + ago(oldestWaiting, now) + " ago"
                    + (lastCommit == null ? "; never committed to main"
                    : "; last commit to main " + ago(lastCommit.toInstant(), now) + " ago");
        }
        return new DatasetFreshness(dataset, newest,
                lastCommit == null ? null : lastCommit.toInstant(), lastStatus.isEmpty() ? null : lastStatus.get(0),
                waiting, oldestWaiting, stale, reason, written);
    }

    private static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return Math.max(0, d.toMinutes()) + " min";
    }
}

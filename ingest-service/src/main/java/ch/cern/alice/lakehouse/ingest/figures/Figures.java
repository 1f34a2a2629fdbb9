package ch.cern.alice.lakehouse.ingest.figures;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code GET /api/v1/ingest/figures}: durable counts from {@code ingest.figures} and
 * {@code ingest.dead_letters}, the same after a restart of any service. Windows are hour buckets (UTC):
 * {@code hour} = the current clock hour, {@code day} = the buckets of the last 24 hours (current one included),
 * {@code total} = everything kept.
 *
 * @param since first hour with figures (null when there are none yet)
 */
public record Figures(Instant asOf, Instant since, Windows totals, List<DatasetFigures> datasets,
                      List<SiteFigures> sites) {

    public record Windows(Counts hour, Counts day, Counts total) {
    }

    /** Figures of one dataset, all sites. */
    public record DatasetFigures(String dataset, Windows windows) {
    }

    /** Figures of one site for one dataset. */
    public record SiteFigures(String dataset, String site, Windows windows) {
    }

    /**
     * @param received          records the collector got in requests
     * @param accepted          acknowledged by Kafka (the site got 202 for them)
     * @param rejected          refused by the collector (invalid, too large, another site's)
     * @param requestDuplicates repeated within one request, published once
     * @param unacknowledged    valid but not acknowledged by Kafka in time (the site got 503 and sends again)
     * @param staged            rows written into staging: new keys plus updates
     * @param stagedNew         new keys staged
     * @param stagedUpdated     staged rows replaced by a newer record
     * @param duplicates        the same record again (re-delivery, re-send), dropped by ingest
     * @param stale             older than the record kept for its key, dropped by ingest
     * @param deadLetters       poison records sent to the dead-letter queue
     */
    public record Counts(long received, long accepted, long rejected, long requestDuplicates, long unacknowledged,
                         long staged, long stagedNew, long stagedUpdated, long duplicates, long stale,
                         long deadLetters) {

        static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(received + o.received, accepted + o.accepted, rejected + o.rejected,
                    requestDuplicates + o.requestDuplicates, unacknowledged + o.unacknowledged, staged + o.staged,
                    stagedNew + o.stagedNew, stagedUpdated + o.stagedUpdated, duplicates + o.duplicates,
                    stale + o.stale, deadLetters + o.deadLetters);
        }
    }
}

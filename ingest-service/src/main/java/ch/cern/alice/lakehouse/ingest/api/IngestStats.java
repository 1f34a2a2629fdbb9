package ch.cern.alice.lakehouse.ingest.api;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code GET /api/v1/ingest/stats}. Written/updated/duplicate/stale/dead-letter counts are durable totals
 * since {@code countingSince} (ingest.figures, the first hour counted; since this instance started only while those
 * cannot be read, countError says so) (written: new keys staged; updated: staged rows replaced by a newer record; duplicates: the same
 * record again; stale: older than the record kept for its key);
 * staged rows and pending dead letters (waiting for an admin, all instances, all time) are read from the database
 * (null when it is unreachable); lag is as of {@code lagMeasuredAt} (null before the first measurement).
 */
public record IngestStats(List<DatasetStats> datasets, Totals totals, Instant countingSince, Instant lagMeasuredAt,
                          Staging staging) {

    public record DatasetStats(String dataset, Long stagedRows, long rowsWritten, long rowsUpdated,
                               long duplicatesDropped, long staleDropped, long deadLetters, Long deadLettersPending,
                               Instant oldestPendingDeadLetterAt, Long consumerLag) {
    }

    public record Totals(Long stagedRows, long rowsWritten, long rowsUpdated, long duplicatesDropped,
                         long staleDropped, long deadLetters, Long deadLettersPending,
                         Long consumerLag) {
    }

    /**
     * @param available      false while batches fail (staging database or dead-letter store/topic unavailable)
     * @param failingSince   first failure of the current run of failures
     * @param lastError      what failed last
     * @param countError     why staged rows or pending dead letters could not be counted, if they could not
     */
    public record Staging(boolean available, Instant failingSince, String lastError, String countError) {
    }
}

package ch.cern.alice.lakehouse.etl.freshness;

import java.time.Instant;

/**
 * How fresh one dataset is at {@code main}.
 *
 * @param newestRowAt      newest receive time (collector) of the rows {@code main} contains, null if none migrated yet
 * @param lastCommitAt     when the last run that wrote rows finished (and committed to {@code main})
 * @param lastRunStatus    status of the dataset's last run (null if none)
 * @param waitingRows      staged rows not migrated yet
 * @param oldestWaitingAt  receive time of the oldest waiting row (null when none wait)
 * @param stale            rows have waited longer than {@code staleAfterSeconds}
 * @param staleReason      why it is stale, for people
 * @param rowsWritten      rows the ETL wrote to the lake: this hour, last 24 hours, in total (run history)
 */
public record DatasetFreshness(String dataset, Instant newestRowAt, Instant lastCommitAt, String lastRunStatus,
                               long waitingRows, Instant oldestWaitingAt, boolean stale, String staleReason,
                               Written rowsWritten) {

    public record Written(long hour, long day, long total) {
    }
}

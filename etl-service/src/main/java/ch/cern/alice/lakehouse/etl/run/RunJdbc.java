package ch.cern.alice.lakehouse.etl.run;

import java.util.Optional;

/**
 * The parts of {@link RunRepository} that need PostgreSQL itself, on plain JDBC ({@link RunJdbcImpl}): the insert
 * guarded by the partial unique index "one queued or running run per dataset" (a clash is an empty answer, the
 * API's 409), the database clock for continuous mode, and the watermark upsert.
 */
public interface RunJdbc {

    /** @return the new run's id, or empty when the dataset already has a queued or running run (of any kind) */
    Optional<Long> insertQueuedId(String dataset, String kind, RunTrigger trigger, String requestedBy, String request);

    /** The latest run of a dataset as continuous mode sees it, timed by the database's clock. */
    Optional<RunRepository.Latest> latestStart(String dataset);

    /** Staged rows with id <= this are in Delta; 0 before the dataset's first migration. */
    long committedWatermark(String dataset);

    /** Never moves the watermark back; called in the transaction of {@link RunRepository#markMigrated}. */
    void advanceWatermark(String dataset, long to, long runId);
}

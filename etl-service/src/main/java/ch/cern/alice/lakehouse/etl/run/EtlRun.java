package ch.cern.alice.lakehouse.etl.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One ETL run as stored in {@code etl.runs} and shown by the API.
 *
 * @param kind    {@value #MIGRATE} (staged rows into Delta), {@value #OPTIMIZE} or {@value #VACUUM} (maintenance)
 * @param details what a maintenance run did, as JSON (files before/after, bytes removed...); for a successful
 *                migration where its time went, {@code {"phasesMs":{"queued":3,"claim":20,"spark.merge":900,...},
 *                "totalMs":1500}} (see RunPhases; null for runs finished by another instance)
 * @param tables  the tables a migration brought up to date -> Delta version (dataset and summary tables), what its
 *                versioning commit pins; empty for other runs and runs that wrote nothing
 */
public record EtlRun(long id, String dataset, String kind, RunStatus status, RunTrigger trigger, String requestedBy, String phase,
                     int progressPercent, Long rowsRead, Long rowsWritten, Long rowsRejected, Long filesWritten,
                     Long deltaVersion, Long watermarkFrom, Long watermarkTo, Instant createdAt, Instant startedAt,
                     Instant finishedAt, Long durationMs, String error, String notifications, String details,
                     Map<String, Long> tables) {

    public static final String MIGRATE = "migrate";
    public static final String OPTIMIZE = "optimize";
    public static final String VACUUM = "vacuum";

    public boolean maintenance() {
        return !MIGRATE.equals(kind);
    }

    /** Run time so far (still running) or in total; null before the start. */
    static Long durationMs(Instant startedAt, Instant finishedAt) {
        if (startedAt == null) {
            return null;
        }
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt).toMillis();
    }
}

package ch.cern.alice.lakehouse.etl.run;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@code etl.runs} (Spring Data JPA over {@link RunRow}; Flyway owns the schema) and {@code etl.watermarks}
 * ({@link RunJdbc}). Status changes are conditional bulk updates ("only if still RUNNING"), so a cancel racing with
 * the job's end can never be overwritten and a cancelled run never advances the watermark; their timestamps are the
 * database's clock ({@code instant} = PostgreSQL's {@code current_timestamp}, i.e. {@code now()}).
 * A successful run passes through phase {@value #PUBLISHING} (rows migrated, watermark advanced, results recorded;
 * staging cleanup and the catalog/versioning calls still to do): it can then neither be cancelled nor failed, and its
 * SUCCEEDED status is the run's last write, so whoever sees it also sees everything the run reports.
 */
public interface RunRepository extends Repository<RunRow, Long>, RunJdbc {

    /** Phase of a run whose rows are migrated and whose watermark has advanced, before it turns SUCCEEDED. */
    String PUBLISHING = "publishing";
    /** JPQL: the run {@code r} is not {@value #PUBLISHING} (NULL phase included). */
    String NOT_PUBLISHING = " and (r.phase is null or r.phase <> '" + PUBLISHING + "')";
    int MAX_TEXT = 4000;

    /**
     * The latest run of a dataset as continuous mode sees it.
     *
     * @param active       it is QUEUED or RUNNING
     * @param endedBadly   it FAILED or was CANCELLED
     * @param sinceStartMs milliseconds since it started (since it was queued, if it never started), by the
     *                     database's clock
     */
    record Latest(boolean active, boolean endedBadly, long sinceStartMs) {
    }

    // ---- reads

    Optional<RunRow> findById(Long id);

    long count();

    long countByDataset(String dataset);

    List<RunRow> findAllByOrderByIdDesc(Pageable page);

    List<RunRow> findByDatasetOrderByIdDesc(String dataset, Pageable page);

    List<RunRow> findByStatusInOrderByIdAsc(Collection<String> statuses);

    Optional<RunRow> findFirstByDatasetOrderByIdDesc(String dataset);

    /**
     * Successful migrations that wrote rows since the dataset's last successful OPTIMIZE (each adds at least one
     * file to every partition it wrote).
     */
    @Query("select count(r) from RunRow r where r.dataset = :dataset and r.kind = 'migrate' and r.status = 'SUCCEEDED' "
            + "and r.rowsWritten > 0 and r.id > coalesce((select max(o.id) from RunRow o where o.dataset = :dataset "
            + "and o.kind = 'optimize' and o.status = 'SUCCEEDED'), 0L)")
    long migrationsSinceOptimize(@Param("dataset") String dataset);

    default Optional<EtlRun> find(long id) {
        return findById(id).map(RunRow::toRun);
    }

    default List<EtlRun> page(String dataset, int page, int size) {
        PageRequest p = PageRequest.of(page, size);
        return (dataset == null ? findAllByOrderByIdDesc(p) : findByDatasetOrderByIdDesc(dataset, p)).stream()
                .map(RunRow::toRun).toList();
    }

    default long count(String dataset) {
        return dataset == null ? count() : countByDataset(dataset);
    }

    default List<EtlRun> active() {
        return findByStatusInOrderByIdAsc(List.of(RunStatus.QUEUED.name(), RunStatus.RUNNING.name())).stream()
                .map(RunRow::toRun).toList();
    }

    /**
     * The latest run of a dataset (any kind), for continuous mode: whether it is still active and when it started.
     */
    default Optional<EtlRun> latest(String dataset) {
        return findFirstByDatasetOrderByIdDesc(dataset).map(RunRow::toRun);
    }

    /** The JSON request a maintenance run was queued with, or null. */
    default String request(long id) {
        return findById(id).map(RunRow::request).orElse(null);
    }

    default Optional<Long> sparkPid(long id) {
        return findById(id).map(RunRow::sparkPid);
    }

    // ---- inserts (JDBC, see RunJdbc)

    /** @return the new run, or empty when the dataset already has a queued or running run */
    default Optional<EtlRun> insertQueued(String dataset, RunTrigger trigger, String requestedBy) {
        return insertQueued(dataset, EtlRun.MIGRATE, trigger, requestedBy, null);
    }

    /**
     * @param request JSON request of a maintenance run, or null
     * @return the new run, or empty when the dataset already has a queued or running run (of any kind)
     */
    default Optional<EtlRun> insertQueued(String dataset, String kind, RunTrigger trigger, String requestedBy,
                                          String request) {
        return insertQueuedId(dataset, kind, trigger, requestedBy, request).flatMap(this::find);
    }

    // ---- conditional status changes (each returns the rows changed, 0 or 1)

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.status = 'RUNNING', r.phase = 'claiming', r.startedAt = instant "
            + "where r.id = :id and r.status = 'QUEUED'")
    int updateRunning(@Param("id") long id);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.watermarkFrom = :from, r.watermarkTo = :to where r.id = :id and r.status = 'RUNNING'")
    int updateRange(@Param("id") long id, @Param("from") long from, @Param("to") long to);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.sparkPid = :pid, r.phase = 'launching' where r.id = :id and r.status = 'RUNNING'")
    int updatePid(@Param("id") long id, @Param("pid") long pid);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.phase = :phase, r.progressPercent = :percent where r.id = :id and r.status = 'RUNNING'")
    int updateProgress(@Param("id") long id, @Param("phase") String phase, @Param("percent") int percent);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.phase = '" + PUBLISHING + "', r.rowsRead = :rowsRead, r.rowsWritten = :rowsWritten, "
            + "r.rowsRejected = :rowsRejected, r.filesWritten = :filesWritten, r.deltaVersion = :deltaVersion, "
            + "r.tableVersions = :tableVersions, r.sparkPid = null where r.id = :id and r.status = 'RUNNING'"
            + NOT_PUBLISHING)
    int updateMigrated(@Param("id") long id, @Param("rowsRead") Long rowsRead, @Param("rowsWritten") Long rowsWritten,
                       @Param("rowsRejected") Long rowsRejected, @Param("filesWritten") Long filesWritten,
                       @Param("deltaVersion") Long deltaVersion, @Param("tableVersions") String tableVersions);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.status = 'SUCCEEDED', r.phase = 'done', r.progressPercent = 100, "
            + "r.notifications = :notifications, r.details = coalesce(:details, r.details), r.finishedAt = instant, "
            + "r.sparkPid = null where r.id = :id and r.status = 'RUNNING' and r.phase = '" + PUBLISHING + "'")
    int updateSucceeded(@Param("id") long id, @Param("notifications") String notifications,
                        @Param("details") String details);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.status = 'SUCCEEDED', r.phase = 'done', r.progressPercent = 100, "
            + "r.deltaVersion = :deltaVersion, r.filesWritten = :filesWritten, r.details = :details, "
            + "r.notifications = :notifications, r.finishedAt = instant, r.sparkPid = null "
            + "where r.id = :id and r.status = 'RUNNING'")
    int updateMaintenanceSucceeded(@Param("id") long id, @Param("deltaVersion") Long deltaVersion,
                                   @Param("filesWritten") Long filesWritten, @Param("details") String details,
                                   @Param("notifications") String notifications);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.status = 'FAILED', r.error = :error, r.finishedAt = instant, r.sparkPid = null "
            + "where r.id = :id and r.status in ('QUEUED', 'RUNNING')" + NOT_PUBLISHING)
    int updateFailed(@Param("id") long id, @Param("error") String error);

    @Modifying(clearAutomatically = true)
    @Transactional
    @Query("update RunRow r set r.status = 'CANCELLED', r.phase = 'cancelled', r.finishedAt = instant, "
            + "r.error = :error where r.id = :id and r.status in ('QUEUED', 'RUNNING')" + NOT_PUBLISHING)
    int updateCancelled(@Param("id") long id, @Param("error") String error);

    default boolean markRunning(long id) {
        return updateRunning(id) == 1;
    }

    default void recordRange(long id, long from, long to) {
        updateRange(id, from, to);
    }

    default void recordPid(long id, long pid) {
        updatePid(id, pid);
    }

    default void recordProgress(long id, String phase, int percent) {
        updateProgress(id, phase, percent);
    }

    /**
     * Records the job's figures and enters phase {@value #PUBLISHING}; the caller advances the watermark in the same
     * transaction. The status stays RUNNING until {@link #markSucceeded}.
     *
     * @return false when the run is no longer RUNNING (cancelled meanwhile)
     */
    default boolean markMigrated(long id, JobOutcome outcome) {
        return updateMigrated(id, outcome.rowsRead(), outcome.rowsWritten(), outcome.rowsRejected(),
                outcome.filesWritten(), outcome.deltaVersion() < 0 ? null : outcome.deltaVersion(),
                RunRow.tableVersionsJson(outcome.tables())) == 1;
    }

    /** The run's last write: SUCCEEDED together with the outcome of the calls after the migration. */
    default boolean markSucceeded(long id, String notifications) {
        return markSucceeded(id, notifications, null);
    }

    /** @param details where the run's time went ({@link RunPhases#toJson}), or null to leave it as it is */
    default boolean markSucceeded(long id, String notifications, String details) {
        return updateSucceeded(id, abbreviate(notifications), abbreviate(details)) == 1;
    }

    /**
     * Ends a maintenance run: SUCCEEDED with what it did ({@code details}), the Delta version it committed (OPTIMIZE)
     * and the outcome of the calls after it. Its last write, like {@link #markSucceeded}.
     */
    default boolean markMaintenanceSucceeded(long id, Long deltaVersion, Long filesWritten, String details,
                                             String notifications) {
        return updateMaintenanceSucceeded(id, deltaVersion, filesWritten, abbreviate(details),
                abbreviate(notifications)) == 1;
    }

    /** No-op for a run that ended already or is {@value #PUBLISHING} (its rows are migrated: it does not fail). */
    default void markFailed(long id, String error) {
        updateFailed(id, abbreviate(error));
    }

    /** @return false for a run that ended already or is {@value #PUBLISHING} */
    default boolean markCancelled(long id, String by) {
        return updateCancelled(id, "cancelled by " + by) == 1;
    }

    /** Text columns shown by the API are kept to {@value #MAX_TEXT} characters. */
    static String abbreviate(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 3) + "...";
    }
}

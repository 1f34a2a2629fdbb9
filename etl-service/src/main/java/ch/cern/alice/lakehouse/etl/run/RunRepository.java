package ch.cern.alice.lakehouse.etl.run;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code etl.runs} and {@code etl.watermarks}. Status changes are conditional updates ("only if still RUNNING"), so
 * a cancel racing with the job's end can never be overwritten and a cancelled run never advances the watermark.
 * A successful run passes through phase {@value #PUBLISHING} (rows migrated, watermark advanced, results recorded;
 * staging cleanup and the catalog/versioning calls still to do): it can then neither be cancelled nor failed, and its
 * SUCCEEDED status is the run's last write, so whoever sees it also sees everything the run reports.
 */
@Repository
public class RunRepository {

    private static final RowMapper<EtlRun> MAPPER = RunRepository::map;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Phase of a run whose rows are migrated and whose watermark has advanced, before it turns SUCCEEDED. */
    public static final String PUBLISHING = "publishing";
    private static final String NOT_PUBLISHING = " AND phase IS DISTINCT FROM '" + PUBLISHING + "'";

    private final JdbcTemplate jdbc;

    public RunRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the new run, or empty when the dataset already has a queued or running run */
    public Optional<EtlRun> insertQueued(String dataset, RunTrigger trigger, String requestedBy) {
        return insertQueued(dataset, EtlRun.MIGRATE, trigger, requestedBy, null);
    }

    /**
     * @param request JSON request of a maintenance run, or null
     * @return the new run, or empty when the dataset already has a queued or running run (of any kind)
     */
    public Optional<EtlRun> insertQueued(String dataset, String kind, RunTrigger trigger, String requestedBy,
                                         String request) {
        try {
            Long id = jdbc.queryForObject("INSERT INTO etl.runs (dataset, kind, status, trigger, requested_by, phase, "
                    + "request) VALUES (?, ?, 'QUEUED', ?, ?, 'queued', ?) RETURNING id", Long.class, dataset, kind,
                    trigger.name(), requestedBy, request);
            return find(id);
        } catch (DuplicateKeyException e) {
            return Optional.empty();
        }
    }

    public Optional<EtlRun> find(long id) {
        return jdbc.query("SELECT * FROM etl.runs WHERE id = ?", MAPPER, id).stream().findFirst();
    }

    public List<EtlRun> page(String dataset, int page, int size) {
        if (dataset == null) {
            return jdbc.query("SELECT * FROM etl.runs ORDER BY id DESC LIMIT ? OFFSET ?", MAPPER, size,
                    (long) page * size);
        }
        return jdbc.query("SELECT * FROM etl.runs WHERE dataset = ? ORDER BY id DESC LIMIT ? OFFSET ?", MAPPER,
                dataset, size, (long) page * size);
    }

    public long count(String dataset) {
        return dataset == null ? jdbc.queryForObject("SELECT count(*) FROM etl.runs", Long.class)
                : jdbc.queryForObject("SELECT count(*) FROM etl.runs WHERE dataset = ?", Long.class, dataset);
    }

    public List<EtlRun> active() {
        return jdbc.query("SELECT * FROM etl.runs WHERE status IN ('QUEUED', 'RUNNING') ORDER BY id", MAPPER);
    }

    /**
     * The latest run of a dataset (any kind), for continuous mode: whether it is still active and when it started.
     */
    public Optional<EtlRun> latest(String dataset) {
        return jdbc.query("SELECT * FROM etl.runs WHERE dataset = ? ORDER BY id DESC LIMIT 1", MAPPER, dataset)
                .stream().findFirst();
    }

    /**
     * The latest run of a dataset as continuous mode sees it.
     *
     * @param active       it is QUEUED or RUNNING
     * @param endedBadly   it FAILED or was CANCELLED
     * @param sinceStartMs milliseconds since it started (since it was queued, if it never started), by the
     *                     database's clock
     */
    public record Latest(boolean active, boolean endedBadly, long sinceStartMs) {
    }

    public Optional<Latest> latestStart(String dataset) {
        return jdbc.query("SELECT status, (extract(epoch FROM now() - coalesce(started_at, created_at)) * 1000)::bigint "
                        + "AS since_ms FROM etl.runs WHERE dataset = ? ORDER BY id DESC LIMIT 1",
                (rs, i) -> {
                    RunStatus status = RunStatus.valueOf(rs.getString("status"));
                    return new Latest(status.isActive(),
                            status == RunStatus.FAILED || status == RunStatus.CANCELLED, rs.getLong("since_ms"));
                }, dataset).stream().findFirst();
    }

    /**
     * Successful migrations that wrote rows since the dataset's last successful OPTIMIZE (each adds at least one
     * file to every partition it wrote).
     */
    public long migrationsSinceOptimize(String dataset) {
        return jdbc.queryForObject("SELECT count(*) FROM etl.runs WHERE dataset = ? AND kind = 'migrate' "
                + "AND status = 'SUCCEEDED' AND rows_written > 0 AND id > coalesce((SELECT max(id) FROM etl.runs "
                + "WHERE dataset = ? AND kind = 'optimize' AND status = 'SUCCEEDED'), 0)", Long.class, dataset, dataset);
    }

    /** The JSON request a maintenance run was queued with, or null. */
    public String request(long id) {
        return jdbc.queryForList("SELECT request FROM etl.runs WHERE id = ?", String.class, id).stream()
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * Ends a maintenance run: SUCCEEDED with what it did ({@code details}), the Delta version it committed (OPTIMIZE)
     * and the outcome of the calls after it. Its last write, like {@link #markSucceeded}.
     */
    public boolean markMaintenanceSucceeded(long id, Long deltaVersion, Long filesWritten, String details,
                                            String notifications) {
        return jdbc.update("UPDATE etl.runs SET status = 'SUCCEEDED', phase = 'done', progress_percent = 100, "
                        + "delta_version = ?, files_written = ?, details = ?, notifications = ?, finished_at = now(), "
                        + "spark_pid = NULL WHERE id = ? AND status = 'RUNNING'",
                deltaVersion, filesWritten, abbreviate(details), abbreviate(notifications), id) == 1;
    }

    public boolean markRunning(long id) {
        return jdbc.update("UPDATE etl.runs SET status = 'RUNNING', phase = 'claiming', started_at = now() "
                + "WHERE id = ? AND status = 'QUEUED'", id) == 1;
    }

    public void recordRange(long id, long from, long to) {
        jdbc.update("UPDATE etl.runs SET watermark_from = ?, watermark_to = ? WHERE id = ? AND status = 'RUNNING'",
                from, to, id);
    }

    public void recordPid(long id, long pid) {
        jdbc.update("UPDATE etl.runs SET spark_pid = ?, phase = 'launching' WHERE id = ? AND status = 'RUNNING'",
                pid, id);
    }

    public void recordProgress(long id, String phase, int percent) {
        jdbc.update("UPDATE etl.runs SET phase = ?, progress_percent = ? WHERE id = ? AND status = 'RUNNING'",
                phase, percent, id);
    }

    /**
     * Records the job's figures and enters phase {@value #PUBLISHING}; the caller advances the watermark in the same
     * transaction. The status stays RUNNING until {@link #markSucceeded}.
     *
     * @return false when the run is no longer RUNNING (cancelled meanwhile)
     */
    public boolean markMigrated(long id, JobOutcome outcome) {
        return jdbc.update("UPDATE etl.runs SET phase = '" + PUBLISHING + "', rows_read = ?, rows_written = ?, "
                        + "rows_rejected = ?, files_written = ?, delta_version = ?, table_versions = ?, spark_pid = NULL "
                        + "WHERE id = ? AND status = 'RUNNING'" + NOT_PUBLISHING,
                outcome.rowsRead(), outcome.rowsWritten(), outcome.rowsRejected(), outcome.filesWritten(),
                outcome.deltaVersion() < 0 ? null : outcome.deltaVersion(),
                outcome.tables().isEmpty() ? null : JSON.writeValueAsString(outcome.tables()), id) == 1;
    }

    /** The run's last write: SUCCEEDED together with the outcome of the calls after the migration. */
    public boolean markSucceeded(long id, String notifications) {
        return markSucceeded(id, notifications, null);
    }

    /** @param details where the run's time went ({@link RunPhases#toJson}), or null to leave it as it is */
    public boolean markSucceeded(long id, String notifications, String details) {
        return jdbc.update("UPDATE etl.runs SET status = 'SUCCEEDED', phase = 'done', progress_percent = 100, "
                        + "notifications = ?, details = coalesce(?, details), finished_at = now(), spark_pid = NULL "
                        + "WHERE id = ? AND status = 'RUNNING' AND phase = '" + PUBLISHING + "'",
                abbreviate(notifications), abbreviate(details), id) == 1;
    }

    /** No-op for a run that ended already or is {@value #PUBLISHING} (its rows are migrated: it does not fail). */
    public void markFailed(long id, String error) {
        jdbc.update("UPDATE etl.runs SET status = 'FAILED', error = ?, finished_at = now(), spark_pid = NULL "
                + "WHERE id = ? AND status IN ('QUEUED', 'RUNNING')" + NOT_PUBLISHING, abbreviate(error), id);
    }

    /** @return false for a run that ended already or is {@value #PUBLISHING} */
    public boolean markCancelled(long id, String by) {
        return jdbc.update("UPDATE etl.runs SET status = 'CANCELLED', phase = 'cancelled', finished_at = now(), "
                + "error = ? WHERE id = ? AND status IN ('QUEUED', 'RUNNING')" + NOT_PUBLISHING,
                "cancelled by " + by, id) == 1;
    }

    public long committedWatermark(String dataset) {
        List<Long> v = jdbc.queryForList("SELECT committed_id FROM etl.watermarks WHERE dataset = ?", Long.class,
                dataset);
        return v.isEmpty() ? 0 : v.get(0);
    }

    public void advanceWatermark(String dataset, long to, long runId) {
        jdbc.update("INSERT INTO etl.watermarks (dataset, committed_id, last_run_id) VALUES (?, ?, ?) "
                + "ON CONFLICT (dataset) DO UPDATE SET committed_id = greatest(etl.watermarks.committed_id, "
                + "excluded.committed_id), last_run_id = excluded.last_run_id, updated_at = now()", dataset, to, runId);
    }

    public Optional<Long> sparkPid(long id) {
        return jdbc.queryForList("SELECT spark_pid FROM etl.runs WHERE id = ? AND spark_pid IS NOT NULL", Long.class, id)
                .stream().findFirst();
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static EtlRun map(ResultSet rs, int row) throws SQLException {
        Instant started = instant(rs, "started_at");
        Instant finished = instant(rs, "finished_at");
        return new EtlRun(rs.getLong("id"), rs.getString("dataset"), rs.getString("kind"), RunStatus.valueOf(rs.getString("status")),
                RunTrigger.valueOf(rs.getString("trigger")), rs.getString("requested_by"), rs.getString("phase"),
                rs.getInt("progress_percent"), nullableLong(rs, "rows_read"), nullableLong(rs, "rows_written"),
                nullableLong(rs, "rows_rejected"), nullableLong(rs, "files_written"),
                nullableLong(rs, "delta_version"), nullableLong(rs, "watermark_from"),
                nullableLong(rs, "watermark_to"), instant(rs, "created_at"), started, finished,
                EtlRun.durationMs(started, finished), rs.getString("error"), rs.getString("notifications"),
                rs.getString("details"), tableVersions(rs.getString("table_versions")));
    }

    /** The {@code table_versions} JSON object ({"trace":12,"trace_daily_site":7}); empty for NULL. */
    static Map<String, Long> tableVersions(String json) {
        Map<String, Long> tables = new LinkedHashMap<>();
        if (json != null) {
            JSON.readTree(json).properties().forEach(e -> tables.put(e.getKey(), e.getValue().asLong()));
        }
        return tables;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

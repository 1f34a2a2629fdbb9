package ch.cern.alice.lakehouse.etl.run;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/** {@link RunJdbc} on a {@link JdbcTemplate} (joins the caller's transaction, e.g. the one of markMigrated). */
class RunJdbcImpl implements RunJdbc {

    private final JdbcTemplate jdbc;

    RunJdbcImpl(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Long> insertQueuedId(String dataset, String kind, RunTrigger trigger, String requestedBy,
                                         String request) {
        try {
            return Optional.ofNullable(jdbc.queryForObject("INSERT INTO etl.runs (dataset, kind, status, trigger, "
                    + "requested_by, phase, request) VALUES (?, ?, 'QUEUED', ?, ?, 'queued', ?) RETURNING id",
                    Long.class, dataset, kind, trigger.name(), requestedBy, request));
        } catch (DuplicateKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<RunRepository.Latest> latestStart(String dataset) {
        return jdbc.query("SELECT status, (extract(epoch FROM now() - coalesce(started_at, created_at)) * 1000)::bigint "
                        + "AS since_ms FROM etl.runs WHERE dataset = ? ORDER BY id DESC LIMIT 1",
                (rs, i) -> {
                    RunStatus status = RunStatus.valueOf(rs.getString("status"));
                    return new RunRepository.Latest(status.isActive(),
                            status == RunStatus.FAILED || status == RunStatus.CANCELLED, rs.getLong("since_ms"));
                }, dataset).stream().findFirst();
    }

    @Override
    public long committedWatermark(String dataset) {
        List<Long> v = jdbc.queryForList("SELECT committed_id FROM etl.watermarks WHERE dataset = ?", Long.class,
                dataset);
        return v.isEmpty() ? 0 : v.get(0);
    }

    @Override
    public void advanceWatermark(String dataset, long to, long runId) {
        jdbc.update("INSERT INTO etl.watermarks (dataset, committed_id, last_run_id) VALUES (?, ?, ?) "
                + "ON CONFLICT (dataset) DO UPDATE SET committed_id = greatest(etl.watermarks.committed_id, "
                + "excluded.committed_id), last_run_id = excluded.last_run_id, updated_at = now()", dataset, to, runId);
    }
}

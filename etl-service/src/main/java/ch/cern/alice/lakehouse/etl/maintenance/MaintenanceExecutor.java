package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.etl.run.EtlRun;
import ch.cern.alice.lakehouse.etl.run.PostRunNotifier;
import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.run.RunStatus;
import ch.cern.alice.lakehouse.etl.spark.WarmSparkApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out a maintenance run (kind optimize or vacuum) of one dataset's Delta table:
 * <ul>
 * <li>OPTIMIZE compacts the partitions with at least {@code ETL_OPTIMIZE_MIN_FILES} data files (those of the run's
 * request, or every partition). A compaction commits a new Delta version with the same rows: it is committed on main
 * like an ETL run's (PostRunNotifier), so queries at main read the compacted files and the version before it is no
 * longer pinned by main's head.</li>
 * <li>VACUUM first asks versioning-service's retention horizon; the retention is the larger of
 * {@code ETL_VACUUM_RETAIN_HOURS} and the horizon's minimum plus a margin, so the files of every version a tag or branch
 * head pins stay. No answer, or a pinned version of unknown age: the run fails and nothing is deleted.</li>
 * </ul>
 * The run's figures (files before/after, bytes removed, partitions, retention) go to its {@code details}.
 */
@Component
public class MaintenanceExecutor {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceExecutor.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RunRepository runs;
    private final WarmSparkApplication warm;
    private final WarmMaintenanceLauncher inWarmApplication;
    private final OneShotMaintenanceLauncher oneShot;
    private final RetentionClient retention;
    private final PostRunNotifier notifier;
    private final MaintenanceProperties properties;

    public MaintenanceExecutor(RunRepository runs, WarmSparkApplication warm, WarmMaintenanceLauncher inWarmApplication,
                               OneShotMaintenanceLauncher oneShot, RetentionClient retention, PostRunNotifier notifier,
                               MaintenanceProperties properties) {
        this.runs = runs;
        this.warm = warm;
        this.inWarmApplication = inWarmApplication;
        this.oneShot = oneShot;
        this.retention = retention;
        this.notifier = notifier;
        this.properties = properties;
    }

    public void execute(long runId) {
        EtlRun run = runs.find(runId).orElse(null);
        if (run == null || !runs.markRunning(runId)) {
            return; // cancelled while queued
        }
        String dataset = run.dataset();
        try {
            Map<String, Object> params = params(run, runs.request(runId));
            runs.recordProgress(runId, "launching", 5);
            if (runs.find(runId).map(r -> r.status() == RunStatus.CANCELLED).orElse(true)) {
                return;
            }
            MaintenanceLauncher.Outcome outcome = launcher().run(runId, run.kind(), dataset, params,
                    (phase, percent) -> runs.recordProgress(runId, phase, percent));
            if (!outcome.succeeded()) {
                runs.markFailed(runId, outcome.error() == null ? "the maintenance job ended without a result"
                        : outcome.error());
                return;
            }
            complete(run, outcome.result(), params);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.markFailed(runId, "interrupted");
        } catch (Exception e) {
            log.error("{} run {} of {} failed", run.kind(), runId, dataset, e);
            runs.markFailed(runId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public void cancel(long runId) {
        launcher().cancel(runId);
    }

    /** The warm application's kind registry, or a one-shot Spark JVM per run while the warm application is off. */
    private MaintenanceLauncher launcher() {
        return warm.enabled() ? inWarmApplication : oneShot;
    }

    /** The request fields of the job: OPTIMIZE's threshold and partitions, VACUUM's retention from the horizon. */
    Map<String, Object> params(EtlRun run, String requestJson) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (EtlRun.OPTIMIZE.equals(run.kind())) {
            params.put("min-files", properties.optimizeMinFiles());
            List<String> partitions = new ArrayList<>();
            if (requestJson != null) {
                JSON.readTree(requestJson).path("partitions").forEach(p -> partitions.add(p.asString()));
            }
            if (!partitions.isEmpty()) {
                params.put("partitions", String.join(",", partitions));
            }
        } else if (EtlRun.VACUUM.equals(run.kind())) {
            RetentionClient.Horizon horizon = retention.horizon(run.dataset());
            if (!horizon.unknownAge().isEmpty()) {
                throw new IllegalStateException("versioning-service cannot tell the age of pinned version(s) "
                        + horizon.unknownAge() + " of " + run.dataset() + " (the commits after them left the "
                        + "Delta log): no retention can be proven to keep them, so VACUUM does not run");
            }
            double retainHours = retainHours(horizon.minimumRetainHours());
            params.put("retain-hours", retainHours);
            params.put("allow-below-safety", properties.vacuumAllowBelowSafety());
            log.info("VACUUM run {} of {}: retention {} h (horizon {} h, oldest pinned version {}, keep files "
                            + "removed since {})", run.id(), run.dataset(), retainHours, horizon.minimumRetainHours(),
                    horizon.oldestPinnedVersion(), horizon.keepRemovedSince());
        } else {
            throw new IllegalArgumentException("run " + run.id() + " is of kind " + run.kind()
                    + ", not a maintenance run");
        }
        return params;
    }

    /** The larger of the configured retention and the horizon's minimum plus the margin, rounded up to 0.001 h. */
    double retainHours(double horizonMinimum) {
        double needed = horizonMinimum <= 0 ? 0 : horizonMinimum + properties.vacuumMargin().toMillis() / 3_600_000.0;
        return Math.ceil(Math.max(properties.vacuumRetainHours(), needed) * 1000) / 1000.0;
    }

    private void complete(EtlRun run, JsonNode result, Map<String, Object> params) {
        long runId = run.id();
        Map<String, Object> details = new LinkedHashMap<>();
        result.properties().forEach(e -> details.put(e.getKey(), e.getValue()));
        details.remove("runId");
        boolean committed = result.path("committed").asBoolean(false);
        long version = result.path("deltaVersion").asLong(-1);
        String notifications = null;
        if (committed && version >= 0) {
            try {
                notifications = notifier.afterSuccess(runId, run.dataset(), version);
            } catch (RuntimeException e) {
                log.warn("{} run {} of {}: notifications failed", run.kind(), runId, run.dataset(), e);
                notifications = "notifications: failed (" + e.getMessage() + ")";
            }
        }
        String json = JSON.writeValueAsString(details);
        if (!runs.markMaintenanceSucceeded(runId, version < 0 ? null : version,
                result.path("filesAfter").isNumber() ? result.path("filesAfter").asLong() : null, json,
                notifications)) {
            log.warn("{} run {} of {} was no longer RUNNING when it was to be marked SUCCEEDED", run.kind(), runId,
                    run.dataset());
            return;
        }
        log.info("{} run {} of {} done: {}", run.kind(), runId, run.dataset(), json);
    }
}

package ch.cern.alice.lakehouse.etl.run;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.EtlProperties;
import ch.cern.alice.lakehouse.etl.maintenance.MaintenanceExecutor;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Queues, lists and cancels runs. Runs execute on a small pool ({@code ETL_MAX_CONCURRENT_RUNS}, default 2: datasets
 * run side by side); a dataset never has more than one queued or running run of any kind (one writer per table).
 * Runs of kind migrate go to {@link RunExecutor}, maintenance runs (optimize, vacuum) to {@link MaintenanceExecutor}.
 */
@Service
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    private final RunRepository runs;
    private final RunExecutor executor;
    private final MaintenanceExecutor maintenance;
    private final DatasetCatalog catalog;
    private final ExecutorService pool;

    public RunService(RunRepository runs, RunExecutor executor, MaintenanceExecutor maintenance,
                      DatasetCatalog catalog, EtlProperties properties) {
        this.runs = runs;
        this.executor = executor;
        this.maintenance = maintenance;
        this.catalog = catalog;
        this.pool = Executors.newFixedThreadPool(Math.max(1, properties.maxConcurrentRuns()), r -> {
            Thread t = new Thread(r, "etl-run");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues a run of one dataset.
     *
     * @throws DatasetCatalog.UnknownDatasetException for a dataset not in the catalog
     * @throws RunConflictException                   when the dataset already has a queued or running run
     */
    public EtlRun trigger(String dataset, RunTrigger trigger, String requestedBy) {
        catalog.get(dataset);
        EtlRun run = runs.insertQueued(dataset, trigger, requestedBy)
                .orElseThrow(() -> new RunConflictException("dataset " + dataset + " already has a queued or running run"));
        log.info("ETL run {} of {} queued ({} by {})", run.id(), dataset, trigger, requestedBy);
        pool.submit(() -> executor.execute(run.id()));
        return run;
    }

    /**
     * Queues a maintenance run (kind {@value EtlRun#OPTIMIZE} or {@value EtlRun#VACUUM}) of one dataset.
     *
     * @param request JSON of the run's request (e.g. {@code {"partitions":["year=2024/month=6"]}}), or null
     * @throws RunConflictException when the dataset already has a queued or running run
     */
    public EtlRun triggerMaintenance(String dataset, String kind, RunTrigger trigger, String requestedBy,
                                     String request) {
        catalog.get(dataset);
        if (!EtlRun.OPTIMIZE.equals(kind) && !EtlRun.VACUUM.equals(kind)) {
            throw new IllegalArgumentException("maintenance kind must be optimize or vacuum, got '" + kind + "'");
        }
        EtlRun run = runs.insertQueued(dataset, kind, trigger, requestedBy, request)
                .orElseThrow(() -> new RunConflictException("dataset " + dataset + " already has a queued or running run"));
        log.info("{} run {} of {} queued ({} by {})", kind, run.id(), dataset, trigger, requestedBy);
        pool.submit(() -> maintenance.execute(run.id()));
        return run;
    }

    public Optional<EtlRun> tryTriggerMaintenance(String dataset, String kind, RunTrigger trigger, String requestedBy) {
        try {
            return Optional.of(triggerMaintenance(dataset, kind, trigger, requestedBy, null));
        } catch (RunConflictException e) {
            return Optional.empty();
        }
    }

    /** Queues a run of every dataset that has none in progress; empty when all are busy. */
    public List<EtlRun> triggerAll(RunTrigger trigger, String requestedBy) {
        List<EtlRun> queued = new ArrayList<>();
        for (String dataset : catalog.names()) {
            tryTrigger(dataset, trigger, requestedBy).ifPresent(queued::add);
        }
        return queued;
    }

    public Optional<EtlRun> tryTrigger(String dataset, RunTrigger trigger, String requestedBy) {
        try {
            return Optional.of(trigger(dataset, trigger, requestedBy));
        } catch (RunConflictException e) {
            return Optional.empty();
        }
    }

    /**
     * Cancels a queued or running run; a running Spark job is killed with its process tree. The watermark does not
     * move, so the range is migrated by the next run.
     */
    public EtlRun cancel(long id, String by) {
        EtlRun run = get(id);
        if (!run.status().isActive() || !runs.markCancelled(id, by)) {
            EtlRun now = get(id);
            if (now.status().isActive() && RunRepository.PUBLISHING.equals(now.phase())) {
                throw new RunConflictException("run " + id + " has migrated its rows and is publishing them "
                        + "(staging cleanup, catalog refresh, versioning commit): it can no longer be cancelled");
            }
            throw new RunConflictException("run " + id + " is already " + now.status());
        }
        if (run.maintenance()) {
            maintenance.cancel(id);
        } else {
            executor.kill(id);
        }
        log.info("{} run {} of {} cancelled by {}", run.kind(), id, run.dataset(), by);
        return get(id);
    }

    /**
     * Finishes a run a previous instance left in phase {@value RunRepository#PUBLISHING} (rows migrated, watermark
     * advanced): staging cleanup, catalog refresh and versioning commit again (each idempotent; the commit pins the
     * tables the run recorded, summary tables included), then SUCCEEDED. On
     * the run pool, so the dataset's next run starts only after it.
     */
    void resumePublishing(EtlRun run) {
        long from = run.watermarkFrom() == null ? 0 : run.watermarkFrom();
        long to = run.watermarkTo() == null ? from : run.watermarkTo();
        pool.submit(() -> executor.publish(run.id(), run.dataset(), from, to, run.deltaVersion(), run.tables(),
                "resumed after a service restart"));
    }

    public List<String> datasets() {
        return List.copyOf(catalog.names());
    }

    public EtlRun get(long id) {
        return runs.find(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    public List<EtlRun> page(String dataset, int page, int size) {
        if (dataset != null) {
            catalog.get(dataset);
        }
        return runs.page(dataset, page, size);
    }

    public long count(String dataset) {
        return runs.count(dataset);
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }

    public static class RunConflictException extends RuntimeException {
        public RunConflictException(String message) {
            super(message);
        }
    }

    public static class RunNotFoundException extends RuntimeException {
        public RunNotFoundException(long id) {
            super("no ETL run " + id);
        }
    }
}

package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.run.EtlRun;
import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.run.RunService;
import ch.cern.alice.lakehouse.etl.run.RunTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Scheduled maintenance: an OPTIMIZE run of every dataset on {@code ETL_OPTIMIZE_CRON} and a VACUUM run on
 * {@code ETL_VACUUM_CRON} ("-" disables either). While OPTIMIZE is scheduled, a dataset also gets one as soon as
 * {@code ETL_OPTIMIZE_MIN_FILES} migrations wrote rows since its last OPTIMIZE: each adds at least one file to every
 * partition it touched, so a touched partition may have passed the threshold (checked every 10 s; with continuous
 * runs every 10 s and the default 16 that is an OPTIMIZE every few minutes per busy dataset). A dataset busy with
 * another run is skipped until the next time.
 */
@Component
public class MaintenanceScheduler {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceScheduler.class);

    private final RunService service;
    private final DatasetCatalog catalog;
    private final RunRepository runs;
    private final MaintenanceProperties properties;

    public MaintenanceScheduler(RunService service, DatasetCatalog catalog, RunRepository runs,
                                MaintenanceProperties properties) {
        this.service = service;
        this.catalog = catalog;
        this.runs = runs;
        this.properties = properties;
    }

    @Scheduled(fixedDelay = 10_000, initialDelay = 10_000)
    public void optimizeCheck() {
        String cron = properties.optimizeCron();
        if (cron != null && !cron.isBlank() && !"-".equals(cron.strip())) {
            optimizeWherePiledUp();
        }
    }

    /** Queues an OPTIMIZE of each dataset with at least ETL_OPTIMIZE_MIN_FILES migrations since its last one. */
    public List<EtlRun> optimizeWherePiledUp() {
        List<EtlRun> queued = new ArrayList<>();
        for (String dataset : catalog.names()) {
            try {
                long piled = runs.migrationsSinceOptimize(dataset);
                if (piled >= properties.optimizeMinFiles()) {
                    service.tryTriggerMaintenance(dataset, EtlRun.OPTIMIZE, RunTrigger.THRESHOLD, "system")
                            .ifPresent(run -> {
                                log.info("OPTIMIZE run {} of {} queued after {} migrations", run.id(), dataset, piled);
                                queued.add(run);
                            });
                }
            } catch (RuntimeException e) {
                log.warn("OPTIMIZE check of {} failed: {}", dataset, e.toString());
            }
        }
        return queued;
    }

    @Scheduled(cron = "${etl.maintenance.optimize-cron:-}", zone = "UTC")
    public void optimize() {
        queue(EtlRun.OPTIMIZE);
    }

    @Scheduled(cron = "${etl.maintenance.vacuum-cron:-}", zone = "UTC")
    public void vacuum() {
        queue(EtlRun.VACUUM);
    }

    private void queue(String kind) {
        for (String dataset : catalog.names()) {
            try {
                service.tryTriggerMaintenance(dataset, kind, RunTrigger.SCHEDULE, "system").ifPresentOrElse(
                        run -> log.info("scheduled {} run {} of {} queued", kind, run.id(), dataset),
                        () -> log.info("scheduled {} of {} skipped: another run is in progress", kind, dataset));
            } catch (RuntimeException e) {
                log.warn("scheduled {} of {} failed: {}", kind, dataset, e.toString());
            }
        }
    }
}

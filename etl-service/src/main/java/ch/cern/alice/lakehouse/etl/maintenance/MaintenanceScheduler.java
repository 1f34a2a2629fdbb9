package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.run.EtlRun;
import ch.cern.alice.lakehouse.etl.run.RunService;
import ch.cern.alice.lakehouse.etl.run.RunTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Scheduled maintenance: an OPTIMIZE run of every dataset on {@code ETL_OPTIMIZE_CRON} and a VACUUM run on
 * {@code ETL_VACUUM_CRON} ("-" disables either). A dataset busy with another run is skipped until the next time.
 */
@Component
public class MaintenanceScheduler {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceScheduler.class);

    private final RunService service;
    private final DatasetCatalog catalog;

    public MaintenanceScheduler(RunService service, DatasetCatalog catalog) {
        this.service = service;
        this.catalog = catalog;
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

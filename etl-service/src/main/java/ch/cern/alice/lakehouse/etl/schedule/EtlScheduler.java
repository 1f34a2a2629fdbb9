package ch.cern.alice.lakehouse.etl.schedule;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.EtlProperties;
import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.run.RunService;
import ch.cern.alice.lakehouse.etl.run.RunTrigger;
import ch.cern.alice.lakehouse.etl.staging.StagingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Automatic runs: on the cron schedule ({@code ETL_SCHEDULE_CRON}, "-" disables) for every dataset with rows waiting,
 * and whenever a dataset has at least {@code ETL_STAGED_ROWS_THRESHOLD} rows waiting (checked every
 * {@code ETL_THRESHOLD_CHECK_INTERVAL}; 0 or less disables). Datasets with a run in progress are skipped.
 */
@Component
public class EtlScheduler {

    private static final Logger log = LoggerFactory.getLogger(EtlScheduler.class);

    private final RunService service;
    private final RunRepository runs;
    private final StagingRepository staging;
    private final DatasetCatalog catalog;
    private final EtlProperties properties;

    public EtlScheduler(RunService service, RunRepository runs, StagingRepository staging, DatasetCatalog catalog,
                        EtlProperties properties) {
        this.service = service;
        this.runs = runs;
        this.staging = staging;
        this.catalog = catalog;
        this.properties = properties;
    }

    @Scheduled(cron = "${etl.schedule-cron}", zone = "UTC")
    public void scheduled() {
        triggerWhere(1, RunTrigger.SCHEDULE);
    }

    @Scheduled(fixedDelayString = "${etl.threshold-check-interval}", initialDelayString = "${etl.threshold-check-interval}")
    public void thresholdCheck() {
        if (properties.stagedRowsThreshold() > 0) {
            triggerWhere(properties.stagedRowsThreshold(), RunTrigger.THRESHOLD);
        }
    }

    void triggerWhere(long minPendingRows, RunTrigger trigger) {
        for (String dataset : catalog.names()) {
            try {
                long pending = staging.pending(dataset, runs.committedWatermark(dataset));
                if (pending >= minPendingRows) {
                    service.tryTrigger(dataset, trigger, "system").ifPresent(run ->
                            log.info("{} run {} of {} for {} waiting rows", trigger, run.id(), dataset, pending));
                }
            } catch (RuntimeException e) {
                log.warn("{} check of {} failed: {}", trigger, dataset, e.toString());
            }
        }
    }
}

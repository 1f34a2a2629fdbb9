package ch.cern.alice.lakehouse.etl.schedule;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.run.EtlRun;
import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.run.RunService;
import ch.cern.alice.lakehouse.etl.run.RunTrigger;
import ch.cern.alice.lakehouse.etl.staging.StagingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Continuous mode ({@code ETL_CONTINUOUS_ENABLED}): every poll, each dataset whose latest run (of any kind) has ended,
 * started at least {@code ETL_CONTINUOUS_MIN_INTERVAL} ago (the failure backoff after a FAILED or CANCELLED one), and
 * that has staged rows above its watermark gets a run with trigger CONTINUOUS. Runs of different datasets go side by
 * side on the run pool ({@code ETL_MAX_CONCURRENT_RUNS}); one dataset never has two (the partial unique index).
 */
@Component
public class ContinuousTrigger {

    private static final Logger log = LoggerFactory.getLogger(ContinuousTrigger.class);
    public static final String REQUESTED_BY = "continuous";

    private final RunService service;
    private final RunRepository runs;
    private final StagingRepository staging;
    private final DatasetCatalog catalog;
    private final ContinuousProperties properties;

    public ContinuousTrigger(RunService service, RunRepository runs, StagingRepository staging,
                             DatasetCatalog catalog, ContinuousProperties properties) {
        this.service = service;
        this.runs = runs;
        this.staging = staging;
        this.catalog = catalog;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${etl.continuous.poll-interval:PT1S}",
            initialDelayString = "${etl.continuous.poll-interval:PT1S}")
    public void poll() {
        if (properties.enabled()) {
            check();
        }
    }

    /** @return the runs it queued */
    public List<EtlRun> check() {
        List<EtlRun> queued = new ArrayList<>();
        for (String dataset : catalog.names()) {
            try {
                if (due(dataset)) {
                    service.tryTrigger(dataset, RunTrigger.CONTINUOUS, REQUESTED_BY).ifPresent(run -> {
                        log.debug("continuous run {} of {} queued", run.id(), dataset);
                        queued.add(run);
                    });
                }
            } catch (RuntimeException e) {
                log.warn("continuous check of {} failed: {}", dataset, e.toString());
            }
        }
        return queued;
    }

    boolean due(String dataset) {
        Optional<RunRepository.Latest> latest = runs.latestStart(dataset);
        if (latest.isPresent()) {
            RunRepository.Latest l = latest.get();
            long wait = (l.endedBadly() ? properties.minInterval().compareTo(properties.failureBackoff()) >= 0
                    ? properties.minInterval() : properties.failureBackoff() : properties.minInterval()).toMillis();
            if (l.active() || l.sinceStartMs() < wait) {
                return false;
            }
        }
        return staging.hasPending(dataset, runs.committedWatermark(dataset));
    }
}

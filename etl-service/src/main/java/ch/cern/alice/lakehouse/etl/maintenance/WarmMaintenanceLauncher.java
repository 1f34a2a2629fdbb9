package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.run.RunStatus;
import ch.cern.alice.lakehouse.etl.spark.WarmSparkApplication;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Maintenance runs in the warm Spark application, whose kind registry maps optimize and vacuum to etl-jobs'
 * {@code ch.cern.alice.lakehouse.etl.maintenance} jobs. A run whose application died fails with the reason; the next
 * scheduled (or requested) maintenance run does the work (OPTIMIZE and VACUUM are idempotent). Used while the warm
 * application is on; else {@link OneShotMaintenanceLauncher}.
 */
@Component
public class WarmMaintenanceLauncher implements MaintenanceLauncher {

    private final WarmSparkApplication warm;
    private final RunRepository runs;

    public WarmMaintenanceLauncher(WarmSparkApplication warm, RunRepository runs) {
        this.warm = warm;
        this.runs = runs;
    }

    @Override
    public Outcome run(long runId, String kind, String dataset, Map<String, Object> params, Progress progress)
            throws Exception {
        runs.recordPid(runId, warm.awaitReady());
        WarmSparkApplication.Submission submission = warm.submit(runId, kind, dataset, params,
                progress::onProgress);
        if (runs.find(runId).map(r -> r.status() == RunStatus.CANCELLED).orElse(true)) {
            warm.cancel(runId); // cancelled between queueing and submission
        }
        WarmSparkApplication.Outcome outcome = submission.await();
        if (outcome.succeeded()) {
            return new Outcome(outcome.result(), null);
        }
        return new Outcome(null, (outcome.shutdown() ? "service stopped during the run" : outcome.error())
                + (outcome.applicationDied() && !outcome.shutdown()
                ? " (the Spark application died; the next maintenance run of the dataset does the work)" : ""));
    }

    @Override
    public void cancel(long runId) {
        if (warm.enabled()) {
            warm.cancel(runId);
        }
    }
}

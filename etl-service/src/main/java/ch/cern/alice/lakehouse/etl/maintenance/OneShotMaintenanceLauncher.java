package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.run.RunStatus;
import ch.cern.alice.lakehouse.etl.spark.SparkJobLauncher;
import ch.cern.alice.lakehouse.etl.spark.SparkJobProcess;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maintenance runs when the warm application is off ({@code ETL_SPARK_WARM=false}): a Spark JVM per run,
 * {@code EtlJobMain --kind=optimize|vacuum}, launched like a one-shot ETL run ({@link SparkJobLauncher}: log file
 * {@code run-<id>.log}, pid recorded, parent watchdog); a cancel kills its process tree.
 */
@Component
public class OneShotMaintenanceLauncher implements MaintenanceLauncher {

    private final SparkJobLauncher launcher;
    private final RunRepository runs;
    private final Map<Long, SparkJobProcess> running = new ConcurrentHashMap<>();

    public OneShotMaintenanceLauncher(SparkJobLauncher launcher, RunRepository runs) {
        this.launcher = launcher;
        this.runs = runs;
    }

    @Override
    public Outcome run(long runId, String kind, String dataset, Map<String, Object> params, Progress progress)
            throws Exception {
        SparkJobProcess process = launcher.launch(runId, kind, dataset, params);
        running.put(runId, process);
        try {
            runs.recordPid(runId, process.pid());
            if (runs.find(runId).map(r -> r.status() == RunStatus.CANCELLED).orElse(true)) {
                process.destroyTree(); // cancelled between queueing and launch
            }
            SparkJobProcess.Completion completion = process.await(progress::onProgress);
            if (completion.succeeded()) {
                return new Outcome(completion.result(), null);
            }
            return new Outcome(null, completion.error() == null ? "Spark job ended without a result"
                    : completion.error());
        } finally {
            running.remove(runId);
        }
    }

    @Override
    public void cancel(long runId) {
        SparkJobProcess process = running.get(runId);
        if (process != null) {
            process.destroyTree();
        }
    }

    @PreDestroy
    void stopAll() {
        running.forEach((id, process) -> {
            runs.markFailed(id, "service stopped during the run"); // before the job's own exit error
            process.destroyTree();
        });
    }
}

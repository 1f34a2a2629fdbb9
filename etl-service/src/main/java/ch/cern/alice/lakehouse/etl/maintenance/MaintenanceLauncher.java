package ch.cern.alice.lakehouse.etl.maintenance;

import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Runs one maintenance request (kind optimize or vacuum) in the Spark application: the warm application's kind
 * registry when it is on ({@link WarmMaintenanceLauncher}), else a one-shot Spark JVM ({@code EtlJobMain --kind=...},
 * {@link OneShotMaintenanceLauncher}); both run the same etl-jobs handler. {@link MaintenanceExecutor} picks by
 * {@code ETL_SPARK_WARM} and works out the request's parameters (VACUUM's retention) before either runs.
 */
public interface MaintenanceLauncher {

    interface Progress {
        void onProgress(String phase, int percent);
    }

    /**
     * @param result the job's ETL_RESULT fields; null when it did not succeed
     * @param error  why it did not succeed
     */
    record Outcome(JsonNode result, String error) {
        public boolean succeeded() {
            return result != null;
        }
    }

    /** Runs the request to its end (blocking). */
    Outcome run(long runId, String kind, String dataset, Map<String, Object> params, Progress progress)
            throws Exception;

    /** Stops the run, if this launcher runs it. */
    void cancel(long runId);
}

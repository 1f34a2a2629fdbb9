package ch.cern.alice.lakehouse.etl.maintenance;

import org.apache.spark.sql.SparkSession;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs a maintenance request of either kind: the handler of kinds optimize and vacuum in {@code RunHandlers}, which
 * both the warm application and a one-shot job ({@code EtlJobMain --kind=optimize}) use.
 */
public final class MaintenanceJobs {

    private MaintenanceJobs() {
    }

    public static boolean isMaintenance(String kind) {
        return MaintenanceRequest.OPTIMIZE.equals(kind) || MaintenanceRequest.VACUUM.equals(kind);
    }

    public static MaintenanceResult run(SparkSession spark, MaintenanceRequest request) {
        return MaintenanceRequest.OPTIMIZE.equals(request.kind()) ? new OptimizeJob(spark).run(request)
                : new VacuumJob(spark).run(request);
    }

    /**
     * The handler of kinds optimize and vacuum: the request's fields (a warm request's, or a one-shot job's arguments;
     * see {@link MaintenanceRequest#fromParams}) in, the ETL_RESULT fields out.
     */
    public static Map<String, Object> handle(SparkSession spark, String kind, String runId, String dataset,
                                             Map<String, String> params, String defaultTablePath) {
        Map<String, String> all = new HashMap<>(params);
        all.put("kind", kind);
        all.put("run-id", runId);
        all.put("dataset", dataset);
        return run(spark, MaintenanceRequest.fromParams(all, defaultTablePath)).toMap();
    }
}

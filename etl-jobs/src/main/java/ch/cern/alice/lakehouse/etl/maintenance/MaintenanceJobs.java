package ch.cern.alice.lakehouse.etl.maintenance;

import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** Runs a maintenance request of either kind; the entry point of the launchers (one-shot and long-lived). */
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
     * The warm application's handler of kinds optimize and vacuum: the request's fields (see
     * {@link MaintenanceRequest#fromParams}) in, the ETL_RESULT fields out.
     */
    public static Map<String, Object> handle(SparkSession spark, String kind, String runId, String dataset,
                                             Map<String, String> params, String defaultTablePath) {
        Map<String, String> all = new HashMap<>(params);
        all.put("kind", kind);
        all.put("run-id", runId);
        all.put("dataset", dataset);
        return run(spark, MaintenanceRequest.fromParams(all, defaultTablePath)).toMap();
    }

    /**
     * The one-shot launcher's way ({@code EtlJobMain ... --kind=optimize}): runs the request given as arguments
     * and prints its {@code ETL_RESULT} line, the same protocol as an ETL run.
     *
     * @param defaultTablePath the dataset's table when {@code --table-path} is not given
     */
    public static MaintenanceResult runOneShot(SparkSession spark, String[] args, String defaultTablePath,
                                               PrintStream out) {
        MaintenanceResult result = run(spark, MaintenanceRequest.fromArgs(args, defaultTablePath));
        out.println("ETL_RESULT " + result.toJson());
        out.flush();
        return result;
    }
}

package ch.cern.alice.lakehouse.etl.job;

import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * What the warm application does for one kind of run ({@link RunHandlers}). Called on the run's own thread, under
 * the run's Spark job group (a cancel interrupts it), with a session of its own (settings a run makes do not leak
 * into runs beside it) that shares the warm SparkContext.
 */
@FunctionalInterface
public interface RunHandler {

    /**
     * @param progress reports ETL_PROGRESS/ETL_PHASE lines tagged with the run id
     * @return the fields of the run's ETL_RESULT line
     */
    Map<String, Object> run(SparkSession spark, RunRequest request, JobConfig config, ProgressReporter progress)
            throws Exception;
}

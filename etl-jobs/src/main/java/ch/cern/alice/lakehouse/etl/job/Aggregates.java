package ch.cern.alice.lakehouse.etl.job;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

/**
 * Summary tables researchers query instead of scanning raw rows. After a dataset's MERGE, only the (year, month)
 * partitions the batch touched are recomputed from the dataset table and swapped in with {@code replaceWhere}, so
 * the summary always equals a full recomputation without paying for one.
 */
final class Aggregates {

    record Aggregate(String table, Function<Dataset<Row>, Dataset<Row>> definition) {
    }

    private static final Map<String, List<Aggregate>> BY_DATASET = Map.of(
            "trace", List.of(new Aggregate("trace_daily_site", Aggregates::traceDailySite)),
            "job_info", List.of(new Aggregate("job_info_daily_status", Aggregates::jobInfoDailyStatus)));

    private Aggregates() {
    }

    static List<Aggregate> forDataset(String dataset) {
        return BY_DATASET.getOrDefault(dataset, List.of());
    }

    /** Per day and site: jobs, CPU efficiency (mean of jobs and cputime-weighted), wall/CPU time, peak RSS. */
    static Dataset<Row> traceDailySite(Dataset<Row> trace) {
        Column cores = coalesce(col("requestedcpus"), lit(1));
        return trace
                .groupBy(col("year"), col("month"), to_date(col("finaltimestamp")).as("day"),
                        coalesce(col("site"), col(LakeSchema.SITE)).as("site"))
                .agg(count(lit(1)).as("jobs"),
                        avg("cpuefficiency").as("cpu_efficiency_avg"),
                        sum("cputime").multiply(100.0).divide(sum(col("walltime").multiply(cores)))
                                .as("cpu_efficiency_weighted"),
                        sum(col("walltime").cast("bigint")).as("total_walltime_s"),
                        sum("cputime").as("total_cputime_s"),
                        max("maxrss").as("max_maxrss_kb"));
    }

    /** Per submission day, site and final state: number of jobs. */
    static Dataset<Row> jobInfoDailyStatus(Dataset<Row> jobs) {
        return jobs
                .groupBy(col("year"), col("month"), to_date(col("job_submit_timestamp")).as("day"),
                        coalesce(col("site"), col(LakeSchema.SITE)).as("site"), col("status"))
                .agg(count(lit(1)).as("jobs"));
    }

    /**
     * @param batch the rows just written, when they are all the touched partitions hold (the run created the
     *              table); null to read the partitions back from the dataset table
     */
    static void rebuild(SparkSession spark, JobConfig config, String partitionPredicate, Dataset<Row> batch) {
        Dataset<Row> source = batch != null ? batch
                : spark.read().format("delta").load(config.tablePath(config.dataset())).where(partitionPredicate);
        for (Aggregate aggregate : forDataset(config.dataset())) {
            Dataset<Row> rows = aggregate.definition().apply(source);
            String target = config.tablePath(aggregate.table());
            if (DeltaTable.isDeltaTable(spark, target)) {
                rows.write().format("delta").mode("overwrite").option("replaceWhere", partitionPredicate).save(target);
            } else {
                rows.write().format("delta").mode("append").partitionBy("year", "month").save(target);
            }
        }
    }
}

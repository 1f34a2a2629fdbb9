package ch.cern.alice.lakehouse.etl.job;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * partitions that changed (those the batch wrote and those rows left, see {@link #rebuild}) are recomputed from
 * the dataset table and swapped in with {@code replaceWhere}, so the summary always equals a full recomputation
 * without paying for one.
 */
final class Aggregates {

    record Aggregate(String table, Function<Dataset<Row>, Dataset<Row>> definition) {
    }

    private static final Map<String, List<Aggregate>> BY_DATASET = Map.of(
            "trace", List.of(new Aggregate("trace_daily_site", Aggregates::traceDailySite)),
            "job_info", List.of(new Aggregate("job_info_daily_status", Aggregates::jobInfoDailyStatus)));

    /** userMetadata of a summary commit: the dataset table version it reflects. */
    static final String SOURCE_VERSION = "sourceVersion=";
    /** More dataset commits than this since a summary's version: recompute it whole instead of reading them. */
    private static final long MAX_LOG_COMMITS = 200;

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
     * Brings the dataset's summary tables up to the dataset table's {@code version}. Each summary write records
     * the dataset version it reflects ({@code userMetadata} of its commit); the partitions to recompute are the
     * given ones plus those changed by every dataset commit since the summary's recorded version (read from the
     * Delta log), so a run that died between its MERGE and this step, or a row whose time field moved it out of a
     * partition, still gets its old partitions recomputed. A summary table that does not exist yet, or whose
     * commits since its version can no longer be read, is computed from the whole dataset table (from the batch
     * when this run created the dataset table).
     *
     * @param partitions   partitions this run wrote to or removed rows from (values in partition column order)
     * @param version      the dataset table version after this run's write
     * @param sinceVersion the dataset version before this run's write (used for a summary that records none)
     * @param created      the rows just written when this run created the dataset table (they are all it
     *                     holds), else null to read the partitions back from the dataset table
     * @return each summary table of the dataset -> its Delta version after this step (it reflects {@code version}):
     *         what the run's versioning commit pins next to the dataset table
     */
    static Map<String, Long> rebuild(SparkSession spark, JobConfig config, List<String> partitionColumns,
                        Collection<List<Integer>> partitions, long version, long sinceVersion, Dataset<Row> created) {
        String datasetPath = config.tablePath(config.dataset());
        for (Aggregate aggregate : forDataset(config.dataset())) {
            String target = config.tablePath(aggregate.table());
            String metadata = SOURCE_VERSION + version;
            // one listing of the summary's log: whether it exists and its last commit
            long current = DeltaTables.latestVersion(spark, target);
            boolean exists = current >= 0;
            if (!exists || created != null) {
                Dataset<Row> source = created != null ? created : datasetAt(spark, datasetPath, version);
                aggregate.definition().apply(source).write().format("delta").mode(exists ? "overwrite" : "append")
                        .option("userMetadata", metadata).partitionBy("year", "month").save(target);
                continue;
            }
            long built = sourceVersion(spark, target, current).orElse(sinceVersion);
            Set<List<Integer>> recompute = new LinkedHashSet<>(partitions);
            Optional<Set<List<Integer>>> changedSince = built >= version ? Optional.of(Set.of())
                    : version - built > MAX_LOG_COMMITS ? Optional.empty()
                    : DeltaTables.partitionsChanged(spark, datasetPath, built, version, partitionColumns);
            if (changedSince.isEmpty()) {
                aggregate.definition().apply(datasetAt(spark, datasetPath, version)).write().format("delta")
                        .mode("overwrite").option("userMetadata", metadata).save(target);
                continue;
            }
            recompute.addAll(changedSince.get());
            String predicate = DeltaTables.partitionPredicate(partitionColumns, recompute);
            if (predicate == null) {
                continue;
            }
            aggregate.definition().apply(datasetAt(spark, datasetPath, version).where(predicate)).write()
                    .format("delta").mode("overwrite").option("replaceWhere", predicate)
                    .option("userMetadata", metadata).save(target);
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        for (Aggregate aggregate : forDataset(config.dataset())) {
            // the version this step wrote or found (no other writer): no further listing of the log
            versions.put(aggregate.table(), DeltaTables.committedVersion(spark, config.tablePath(aggregate.table())));
        }
        return versions;
    }

    /** The table's newest Delta version. */
    static long latestVersion(SparkSession spark, String path) {
        return DeltaTables.latestVersion(spark, path);
    }

    private static Dataset<Row> datasetAt(SparkSession spark, String path, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(path);
    }

    /** The dataset version the summary table's last commit reflects, if it recorded one. */
    static Optional<Long> sourceVersion(SparkSession spark, String summaryPath) {
        return sourceVersion(spark, summaryPath, DeltaTables.latestVersion(spark, summaryPath));
    }

    /** The same, for the summary table's known latest version. */
    private static Optional<Long> sourceVersion(SparkSession spark, String summaryPath, long latest) {
        JsonNode last = DeltaTables.commitInfo(spark, summaryPath, latest);
        String metadata = last.path("userMetadata").isTextual() ? last.get("userMetadata").asText() : null;
        if (metadata == null || !metadata.startsWith(SOURCE_VERSION)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(metadata.substring(SOURCE_VERSION.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

package ch.cern.alice.lakehouse.etl.job;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.net.URI;
import java.util.Map;

/**
 * Entry point of a one-shot job (a Spark JVM per run, {@code ETL_SPARK_WARM=false}), normally started by etl-service
 * through {@code SparkSubmit --class ...EtlJobMain etl-jobs.jar --dataset=trace --run-id=42 --from=100 --to=2000}.
 * Without {@code --to} the job claims the range itself. {@code --kind=optimize|vacuum} (default {@code migrate}, the
 * ETL run) picks the handler of the warm application's registry ({@link RunHandlers}); the remaining
 * {@code --name=value} arguments reach it as a warm request's fields do, e.g. {@code --kind=vacuum --retain-hours=170
 * --allow-below-safety=false}. Prints ETL_PROGRESS lines while running and one ETL_RESULT (or ETL_ERROR) line at the
 * end (see {@link ProgressReporter}); exit code 0 only on success.
 */
public final class EtlJobMain {

    private EtlJobMain() {
    }

    public static void main(String[] args) {
        ProgressReporter progress = new ProgressReporter(System.out);
        int exitCode = 1;
        SparkSession spark = null;
        ParentWatchdog.startIfRequested(System.getenv(), System.in);
        try {
            OneShot run = oneShot(args, System.getenv(), RunHandlers.defaults());
            progress.progress("starting", 1);
            spark = SparkSession.builder().config(sparkConf(run.config())).getOrCreate();
            progress.result(run.handler().run(spark, run.request(), run.config(), progress));
            exitCode = 0;
        } catch (Throwable e) {
            e.printStackTrace();
            progress.error(e);
        } finally {
            if (spark != null) {
                spark.stop();
            }
        }
        System.exit(exitCode);
    }

    /** What a one-shot job's arguments ask for: the run, its settings and the handler of its kind. */
    public record OneShot(RunRequest request, JobConfig config, RunHandler handler) {
    }

    /**
     * Reads the arguments before any Spark starts: {@code --kind} (absent: migrate) picks the handler from
     * {@code handlers}, the warm application's registry.
     *
     * @throws IllegalArgumentException for malformed arguments, a missing dataset or run id, or an unknown kind
     */
    public static OneShot oneShot(String[] args, Map<String, String> env, RunHandlers handlers) {
        JobConfig config = JobConfig.from(args, env);
        RunRequest request = RunRequest.fromArgs(args);
        return new OneShot(request, config, handlers.get(request.kind()));
    }

    /** Delta, S3A and local-mode settings; anything given with {@code --conf} to SparkSubmit wins. */
    public static SparkConf sparkConf(JobConfig config) {
        SparkConf conf = new SparkConf(true);
        conf.setIfMissing("spark.master", "local[*]");
        conf.setIfMissing("spark.app.name", "lakehouse-etl-" + config.dataset() + "-" + config.runId());
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        applyDefaults(conf, config);
        return conf;
    }

    static void applyDefaults(SparkConf conf, JobConfig config) {
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        // the batch is cached once for a few passes: compressing the cache cost more CPU than it saved
        conf.setIfMissing("spark.sql.inMemoryColumnarStorage.compressed", "false");
        // INT96, Spark's default, is deprecated, and dictionary-encoding its 12-byte values was the costliest part
        // of writing a batch; Trino and Delta read 64-bit microseconds natively
        conf.setIfMissing("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        // a task writes its rows through one open file per partition instead of sorting them by partition first;
        // Parquet's memory manager shrinks row groups when the open files would need more than 30% of the heap
        conf.setIfMissing("spark.sql.maxConcurrentOutputFileWriters", "8");
        conf.setIfMissing("spark.sql.optimizer.plannedWrite.enabled", "false");
        conf.setIfMissing("spark.hadoop.parquet.memory.pool.ratio", "0.3");
        // Delta rebuilds table state with 50 tasks by default: far too many for small tables on a few cores
        conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "4");
        conf.setIfMissing("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        conf.setIfMissing("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        // new descriptor fields become new columns on the next MERGE
        conf.setIfMissing("spark.databricks.delta.schema.autoMerge.enabled", "true");
        String h = "spark.hadoop.fs.s3a.";
        conf.setIfMissing(h + "endpoint", config.s3Endpoint());
        conf.setIfMissing(h + "endpoint.region", config.s3Region());
        conf.setIfMissing(h + "access.key", config.s3AccessKey());
        conf.setIfMissing(h + "secret.key", config.s3SecretKey());
        conf.setIfMissing(h + "path.style.access", "true");
        conf.setIfMissing(h + "connection.ssl.enabled",
                String.valueOf("https".equalsIgnoreCase(URI.create(config.s3Endpoint()).getScheme())));
        conf.setIfMissing(h + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.setIfMissing(h + "change.detection.mode", "none");
    }
}

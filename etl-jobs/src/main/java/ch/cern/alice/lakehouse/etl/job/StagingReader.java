package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.staging.StagingLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the claimed id range of a dataset's staging partition with a JDBC read split on id. */
final class StagingReader {

    /** Rows per JDBC partition aimed at; bounded by the cores available. */
    private static final long ROWS_PER_PARTITION = 100_000;

    private StagingReader() {
    }

    /** {@code staging.records_<dataset>}, see {@link StagingLayout#partition}. */
    static String stagingTable(String dataset) {
        return StagingLayout.partition(dataset);
    }

    static Dataset<Row> read(SparkSession spark, JobConfig config, long from, long to) {
        String query = "(SELECT id, dedup_key, site, received_at, payload::text AS payload, kafka_partition,"
                + " kafka_offset FROM "
                + stagingTable(config.dataset()) + " WHERE id > " + from + " AND id <= " + to + ") staged";
        int cores = Math.max(1, spark.sparkContext().defaultParallelism());
        long span = to - from;
        int partitions = config.readPartitions() > 0 ? config.readPartitions()
                : (int) Math.max(1, Math.min(cores * 2L, (span + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION));
        return spark.read().format("jdbc")
                .option("url", config.jdbcUrl())
                .option("user", config.jdbcUser())
                .option("password", config.jdbcPassword())
                .option("driver", "org.postgresql.Driver")
                .option("dbtable", query)
                .option("partitionColumn", "id")
                .option("lowerBound", from + 1)
                .option("upperBound", to + 1)
                .option("numPartitions", partitions)
                .option("fetchsize", 10_000)
                .load();
    }
}

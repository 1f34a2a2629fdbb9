/**
 * {@code EtlBench}: the etl-jobs Spark job alone, staging COPYed into an embedded PostgreSQL, then SparkSubmit into
 * Delta on S3Proxy; started by {@code bench/etl-bench.sh}.
 */
package ch.cern.alice.lakehouse.bench.etl;

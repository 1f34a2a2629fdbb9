/**
 * The ingest path end to end in one JVM ({@code LakehouseStack}: embedded KRaft Kafka, embedded PostgreSQL,
 * collector-service and ingest-service as Spring Boot applications): the end-to-end test and its record and HTTP
 * helpers. They are published as this module's test-jar for the ingest benchmark in the bench module
 * ({@code bench.ingest.IngestBenchmark}, {@code bench/ingest-bench.sh}), which drives the same stack.
 */
package ch.cern.alice.lakehouse.e2e;

/**
 * The ingest path end to end in one JVM ({@code LakehouseStack}: embedded KRaft Kafka, embedded PostgreSQL,
 * collector-service and ingest-service as Spring Boot applications): the end-to-end test, its record and HTTP
 * helpers, and the ingest benchmark ({@code bench/ingest-bench.sh}) that drives the same stack.
 */
package ch.cern.alice.lakehouse.e2e;

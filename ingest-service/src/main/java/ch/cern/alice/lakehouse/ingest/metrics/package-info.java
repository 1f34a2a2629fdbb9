/**
 * Prometheus metrics of the ingest path: per-dataset counters and the consumer lag per dataset.
 */
package ch.cern.alice.lakehouse.ingest.metrics;

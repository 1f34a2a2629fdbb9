/**
 * The {@code ingest} health indicator: DOWN while the Kafka listener is not running or batches keep failing.
 */
package ch.cern.alice.lakehouse.ingest.health;

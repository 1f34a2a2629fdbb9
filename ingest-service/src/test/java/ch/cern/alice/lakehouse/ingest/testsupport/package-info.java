/**
 * Helpers shared by the ingest tests: an in-process KRaft Kafka broker with the dataset topics, a real embedded
 * PostgreSQL that can refuse connections to simulate an outage, and envelopes built as the collector writes them.
 */
package ch.cern.alice.lakehouse.ingest.testsupport;

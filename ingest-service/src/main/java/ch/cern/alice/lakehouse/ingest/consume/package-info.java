/**
 * The Kafka batch listener and what it needs: decoding envelopes into staging rows (with a fast path for the
 * collector's canonical envelopes), dead-lettering poison records (Postgres first, then the DLQ topic) and the
 * back-off while staging is unavailable.
 */
package ch.cern.alice.lakehouse.ingest.consume;

/**
 * Spring wiring of the ingest service: {@code IngestProperties} (the {@code INGEST_*} settings of application.yml),
 * Kafka topics and listener error handling, and the security setup on top of service-support.
 */
package ch.cern.alice.lakehouse.ingest.config;

/**
 * The REST API for operators and admins: ingest statistics, durable figures and the dead-letter API (list, replay,
 * discard), with {@code ApiExceptionHandler} for RFC 9457 problem details.
 */
package ch.cern.alice.lakehouse.ingest.api;

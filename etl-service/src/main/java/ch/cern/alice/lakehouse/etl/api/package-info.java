/**
 * The REST API under {@code /api/v1/etl}: runs (start, list, cancel), maintenance runs on demand, staged rows per
 * dataset and the warm Spark application's state, with {@code ApiExceptionHandler} for RFC 9457 problem details.
 */
package ch.cern.alice.lakehouse.etl.api;

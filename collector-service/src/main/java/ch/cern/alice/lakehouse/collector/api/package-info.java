/**
 * The REST API: {@code POST /api/v1/datasets/{dataset}/records} for sites (API key) and {@code GET /api/v1/stats}
 * for users, the exceptions they answer with (401, 403, 413, 415, 429, 503) and {@code ApiExceptionHandler}, which
 * turns them into RFC 9457 problem details.
 */
package ch.cern.alice.lakehouse.collector.api;

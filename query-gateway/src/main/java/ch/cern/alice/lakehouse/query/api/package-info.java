/**
 * The REST API ({@code /api/v1/queries}, {@code /api/v1/saved-queries}, {@code /api/v1/catalog}): controllers, their
 * request and response records, and {@code ApiExceptionHandler}, which turns the features' exceptions into RFC 9457
 * problem details.
 */
package ch.cern.alice.lakehouse.query.api;

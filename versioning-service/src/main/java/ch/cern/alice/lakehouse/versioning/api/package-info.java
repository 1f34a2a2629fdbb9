/**
 * REST controllers under /api/v1/versions, their request and response records, and {@link
 * ch.cern.alice.lakehouse.versioning.api.ApiExceptionHandler} (domain errors as RFC 9457 problem details). Also the
 * start-up runner that makes sure branch main exists.
 */
package ch.cern.alice.lakehouse.versioning.api;

/**
 * What every service's HTTP API shares: {@code ApiExceptionHandlerBase} (the RFC 9457 problem-detail answers each
 * service's {@code ApiExceptionHandler} extends) and the OpenAPI description and Swagger UI auto-configuration.
 */
package ch.cern.alice.lakehouse.support.api;

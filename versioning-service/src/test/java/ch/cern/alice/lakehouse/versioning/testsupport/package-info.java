/**
 * Test helpers: {@code AbstractServiceTestBase} starts the service against real Postgres and a real S3Proxy, {@code
 * Api} calls it over HTTP, {@code DeltaTableWriter} writes Delta logs to S3.
 */
package ch.cern.alice.lakehouse.versioning.testsupport;

/**
 * Helpers shared by the gateway's tests: the real parts started once per test JVM ({@code TestLake}: S3Proxy, a
 * secured Trino, an embedded Postgres) with synthetic trace data, an HTTP client as one user, the gateway in its own
 * JVM for restart tests, the properties every test context sets, and a query that runs until it is cancelled.
 */
package ch.cern.alice.lakehouse.query.testsupport;

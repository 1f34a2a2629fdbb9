/**
 * Trino's client protocol on its own HTTPS port, for researchers' own tools (CLI, JDBC, Python): statements get the
 * REST API's checks, pinning and history, reads are proxied to Trino and writes take the REST API's path.
 */
package ch.cern.alice.lakehouse.query.protocol;

/**
 * Talking to Trino: JDBC connections as the real user, the statement stream of Trino's HTTP protocol, result
 * columns, progress and value conversion.
 */
package ch.cern.alice.lakehouse.query.trino;

/**
 * Versioning scenarios over Delta tables written by the real ETL, driven over HTTP only: commits, branches, tags,
 * merges and a researcher's branch work through query-gateway.
 */
package ch.cern.alice.lakehouse.scenario.versioning;

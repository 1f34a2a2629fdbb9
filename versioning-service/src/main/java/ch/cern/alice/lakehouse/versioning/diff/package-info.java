/**
 * Differences between two refs: per table, the versions on each side, schema changes and row-change counts read from
 * the Delta logs.
 */
package ch.cern.alice.lakehouse.versioning.diff;

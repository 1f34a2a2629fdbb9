/**
 * ETL runs from queue to end: the run records and watermarks ({@code etl.runs}), queueing and cancelling, the
 * crash-safe execution order (claim, Spark MERGE, record, commit), recovery after a restart and the notifications
 * to query-gateway and versioning-service after a successful run.
 */
package ch.cern.alice.lakehouse.etl.run;

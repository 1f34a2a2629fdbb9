/**
 * ETL runs from queue to end: the run records and watermarks ({@code etl.runs}), queueing and cancelling, the
 * crash-safe execution order (claim, Spark MERGE, record, commit), recovery after a restart and the notifications
 * to query-gateway and versioning-service after a successful run.
 * Persistence: {@code RunRepository} is a Spring Data JPA repository over {@code RunRow} (Flyway owns {@code etl.runs});
 * the guarded insert, the database clock and the watermark upsert stay on JDBC ({@code RunJdbcImpl}).
 */
package ch.cern.alice.lakehouse.etl.run;

/**
 * {@code StagingLayout}: where staged records live in PostgreSQL (table and partition names) and the claim SQL,
 * shared by ingest-service, etl-service and etl-jobs.
 */
package ch.cern.alice.lakehouse.common.staging;

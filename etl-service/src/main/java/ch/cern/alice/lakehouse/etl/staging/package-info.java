/**
 * The ETL's read and claim access to the staging partitions that ingest-service writes (docs/contracts.md).
 */
package ch.cern.alice.lakehouse.etl.staging;

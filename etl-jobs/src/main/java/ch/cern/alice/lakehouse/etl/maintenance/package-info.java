/**
 * Delta table maintenance jobs run in the same Spark application: OPTIMIZE (compaction of partitions with many
 * small files) and VACUUM (deleting files the table no longer references), with their requests and results.
 */
package ch.cern.alice.lakehouse.etl.maintenance;

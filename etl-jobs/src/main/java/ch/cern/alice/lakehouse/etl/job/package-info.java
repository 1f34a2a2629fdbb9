/**
 * The Spark ETL job, run in its own JVM (never on a Spring Boot classpath): one run claims a staged id range,
 * converts the rows to the dataset's lake schema, MERGEs them into the Delta table (newest record wins) and updates
 * the summary tables. Holds the one-shot entry point {@code EtlJobMain}, the warm application {@code WarmEtlMain}
 * and the stdout protocol etl-service reads.
 */
package ch.cern.alice.lakehouse.etl.job;

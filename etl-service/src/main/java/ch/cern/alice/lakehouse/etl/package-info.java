/**
 * etl-service: starts ETL runs (continuously, on a schedule, at a staged-rows threshold or by an admin) that move
 * staged rows into the Delta lake through the etl-jobs Spark application. This package holds the Spring Boot
 * application class and {@code EtlProperties}, the service's {@code ETL_*}/{@code LAKEHOUSE_*} settings.
 */
package ch.cern.alice.lakehouse.etl;

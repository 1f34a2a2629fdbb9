/**
 * ingest-service: consumes the dataset topics and stages every record in Postgres ({@code staging.records}), where
 * the ETL picks them up. This package holds only the Spring Boot application class.
 */
package ch.cern.alice.lakehouse.ingest;

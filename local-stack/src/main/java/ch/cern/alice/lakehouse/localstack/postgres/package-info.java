/**
 * An embedded PostgreSQL 17 with a persistent data directory, and the services' database roles, schemas and grants
 * of deploy/postgres/roles.sql applied over JDBC.
 */
package ch.cern.alice.lakehouse.localstack.postgres;

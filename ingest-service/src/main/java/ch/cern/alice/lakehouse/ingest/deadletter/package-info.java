/**
 * Dead letters kept in schema {@code ingest} until an admin replays or discards them: the store, the admin
 * operations, the list filters, the pending-count gauges, retention settings and the schema's own Flyway migration.
 */
package ch.cern.alice.lakehouse.ingest.deadletter;

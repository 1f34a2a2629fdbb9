/**
 * Persistence of branches, tags, commits and the reflog: JPA entities mapped to the Flyway tables (db/versioning),
 * Spring Data repositories, native SQL where Postgres does the work (history walks, merge base, ref listing, advisory
 * name locks). Knows no service: returns entities and rows that {@code domain} turns into its records.
 */
package ch.cern.alice.lakehouse.versioning.store;

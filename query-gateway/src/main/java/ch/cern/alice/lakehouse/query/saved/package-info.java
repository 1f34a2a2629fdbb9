/**
 * Saved queries: read-only SQL templates with typed parameters that viewers may run, stored in
 * {@code query.saved_query} through a Spring Data JPA repository; only the owner or an admin changes one.
 */
package ch.cern.alice.lakehouse.query.saved;

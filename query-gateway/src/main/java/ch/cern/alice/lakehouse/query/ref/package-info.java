/**
 * Refs of a query: built-in {@code v:<version>} and {@code ts:<instant>} refs and versioning-service's branches,
 * tags and commits, turned into the table versions they pin. {@code RefResolution} implements the core's
 * {@code domain.RefPins}.
 */
package ch.cern.alice.lakehouse.query.ref;

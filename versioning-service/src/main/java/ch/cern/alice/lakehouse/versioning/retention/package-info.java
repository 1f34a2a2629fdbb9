/**
 * Which Delta versions tags and branch heads pin, and how long VACUUM must retain removed files to keep them readable
 * (the retention horizon); {@code PinRepository} is its one native query.
 */
package ch.cern.alice.lakehouse.versioning.retention;

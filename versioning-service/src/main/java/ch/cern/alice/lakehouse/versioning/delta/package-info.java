/**
 * Reads Delta Lake transaction logs from S3 (versions, commit files, schemas, row-change counts) with a cache of
 * immutable commit files: what a version pins is checked and described here.
 */
package ch.cern.alice.lakehouse.versioning.delta;

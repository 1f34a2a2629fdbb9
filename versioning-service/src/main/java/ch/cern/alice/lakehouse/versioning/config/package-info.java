/**
 * Spring wiring: the clock and the S3 client with its {@code lakehouse.s3} properties. Depends on no feature package.
 */
package ch.cern.alice.lakehouse.versioning.config;

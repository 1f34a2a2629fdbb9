/**
 * Spring wiring of the gateway: the {@code @ConfigurationProperties} records ({@code query.*},
 * {@code lakehouse.trino}, {@code lakehouse.s3}, {@code lakehouse.versioning} of application.yml) and the shared beans
 * (query executor, S3 client, time-travel rewriter), and the HTTPS port of Trino's client protocol.
 */
package ch.cern.alice.lakehouse.query.config;

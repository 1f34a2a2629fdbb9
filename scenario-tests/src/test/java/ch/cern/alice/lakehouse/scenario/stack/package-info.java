/**
 * {@code LakeStack}: the whole lakehouse on 127.0.0.1 (every service from its exec jar with environment variables
 * only, PostgreSQL with the deployment's roles, S3Proxy, Trino), started once per test JVM through {@code
 * LakeStackExtension}, with its clients and helpers.
 */
package ch.cern.alice.lakehouse.scenario.stack;

/**
 * Trino as a child process in its own JVM, configured from the deploy/trino/etc templates, and the secrets
 * directory it needs, written as deploy/trino/trino-server.sh writes it.
 */
package ch.cern.alice.lakehouse.trino;

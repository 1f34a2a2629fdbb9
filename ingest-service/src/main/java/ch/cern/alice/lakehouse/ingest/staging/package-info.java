/**
 * Writing into {@code staging.records}: COPY of a batch in one transaction with the newest-wins update rule, the
 * COPY text encoding, one list partition per dataset, and what only staging's owner role does after the migration.
 */
package ch.cern.alice.lakehouse.ingest.staging;

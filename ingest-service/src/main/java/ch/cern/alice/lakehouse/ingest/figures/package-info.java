/**
 * Durable ingest figures per hour, dataset and site ({@code ingest.figures}): staging outcomes added in the staging
 * transaction, the collector's reports added once each, the roll-up of old hours into days and months, and the read
 * side behind {@code GET /api/v1/ingest/figures}.
 */
package ch.cern.alice.lakehouse.ingest.figures;

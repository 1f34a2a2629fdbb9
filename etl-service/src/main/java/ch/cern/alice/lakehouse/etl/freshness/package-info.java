/**
 * How fresh each dataset is at {@code main} ({@code GET /api/v1/etl/freshness}): computed from the run history,
 * periodic checkpoints of staging and staging itself.
 */
package ch.cern.alice.lakehouse.etl.freshness;

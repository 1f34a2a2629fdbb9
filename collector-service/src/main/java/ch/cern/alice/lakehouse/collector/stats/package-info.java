/**
 * Record counts per site and dataset since start ({@code GET /api/v1/stats}, Micrometer) and the per-hour reports
 * sent to ingest-service, which keeps them durably.
 */
package ch.cern.alice.lakehouse.collector.stats;

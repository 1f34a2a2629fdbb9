/**
 * Sending to the collector: batches grouped by site and dataset, each site's API key, and the HTTP client that
 * honours 429/503 Retry-After.
 */
package ch.cern.alice.lakehouse.simulator.send;

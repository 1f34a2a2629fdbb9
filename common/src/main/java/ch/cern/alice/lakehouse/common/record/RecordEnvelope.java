package ch.cern.alice.lakehouse.common.record;

import java.util.Map;

/**
 * What travels on Kafka from the collector to the ingest service: one validated record with where it came from.
 *
 * @param site           the site that sent it, taken from its API key, never from the body
 * @param key            dedup key (the dataset key of the payload)
 * @param receivedAtMillis when the collector accepted it
 * @param payload        validated, normalized record
 */
public record RecordEnvelope(String dataset, String site, String key, long receivedAtMillis,
                             Map<String, Object> payload) {
}

package ch.cern.alice.lakehouse.ingest.staging;

/**
 * One row for {@code staging.records}.
 *
 * @param payloadJson the validated, normalized payload as JSON text
 */
public record StagedRow(String dataset, String dedupKey, String site, long receivedAtMillis, String payloadJson) {
}

package ch.cern.alice.lakehouse.ingest.staging;

import java.nio.charset.StandardCharsets;

/**
 * One row for {@code staging.records}.
 *
 * @param payload the validated, normalized payload as UTF-8 JSON (kept as bytes: the COPY stream takes them as they
 *                are)
 */
public record StagedRow(String dataset, String dedupKey, String site, long receivedAtMillis, byte[] payload) {

    public StagedRow(String dataset, String dedupKey, String site, long receivedAtMillis, String payloadJson) {
        this(dataset, dedupKey, site, receivedAtMillis, payloadJson.getBytes(StandardCharsets.UTF_8));
    }

    public String payloadJson() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}

package ch.cern.alice.lakehouse.collector.intake;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The record at {@code index} of the body repeats the record at {@code duplicateOf} (same dedup key, same normalized
 * payload, and that record is the latest one with this key before it): it was not published again.
 */
public record RecordDuplicate(
        @Schema(description = "0-based position of the repeat in the body") int index,
        @Schema(description = "0-based position of the record it repeats (accepted)") int duplicateOf) {
}

package ch.cern.alice.lakehouse.collector.intake;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * Outcome of one POST, also its response body. Every record of the body is in exactly one of the three: accepted
 * (Kafka acknowledged it; counted), rejected (with the reasons), or a duplicate of an earlier record of the same
 * body (published once). {@code accepted + rejected.size() + duplicates.size()} is the number of records sent.
 */
public record IntakeResult(
        @Schema(description = "records Kafka acknowledged (duplicates not counted)") int accepted,
        @Schema(description = "records not stored, each with its reasons") List<RecordRejection> rejected,
        @Schema(description = "records repeating an earlier record of the same body (same dedup key and normalized "
                + "payload as the latest earlier record with that key): published once")
        List<RecordDuplicate> duplicates) {

    public IntakeResult {
        rejected = List.copyOf(rejected);
        duplicates = List.copyOf(duplicates);
    }
}

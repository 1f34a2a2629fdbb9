package ch.cern.alice.lakehouse.collector.intake;

import java.util.List;

/**
 * Outcome of one POST, also its response body. Every record of the body is in exactly one of the three: accepted
 * (Kafka acknowledged it; counted), rejected (with the reasons), or a duplicate of an earlier record of the same
 * body (published once). {@code accepted + rejected.size() + duplicates.size()} is the number of records sent.
 */
public record IntakeResult(int accepted, List<RecordRejection> rejected, List<RecordDuplicate> duplicates) {

    public IntakeResult {
        rejected = List.copyOf(rejected);
        duplicates = List.copyOf(duplicates);
    }
}

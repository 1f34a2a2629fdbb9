package ch.cern.alice.lakehouse.collector.intake;

import java.util.List;

/**
 * Outcome of one POST, also its response body: how many records Kafka acknowledged and which were rejected.
 */
public record IntakeResult(int accepted, List<RecordRejection> rejected) {

    public IntakeResult {
        rejected = List.copyOf(rejected);
    }
}

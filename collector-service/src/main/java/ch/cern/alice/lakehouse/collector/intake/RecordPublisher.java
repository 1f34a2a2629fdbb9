package ch.cern.alice.lakehouse.collector.intake;

import java.util.List;

/** Sends records to the log and returns only once every one of them is durably acknowledged. */
public interface RecordPublisher {

    /** @throws PublishFailedException if any record was not acknowledged in time */
    void publish(String topic, List<OutgoingRecord> records);
}

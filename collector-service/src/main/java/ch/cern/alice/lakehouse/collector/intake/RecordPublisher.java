package ch.cern.alice.lakehouse.collector.intake;

import java.util.List;

/** Sends records to the log and returns only once every one of them is durably acknowledged or refused. */
public interface RecordPublisher {

    /**
     * @return the records the log refused for their content (e.g. too large); every other record was acknowledged
     * @throws PublishFailedException if any record was neither acknowledged nor refused in time (log unavailable)
     */
    List<RefusedRecord> publish(String topic, List<OutgoingRecord> records);
}

package ch.cern.alice.lakehouse.collector.intake;

/**
 * Kafka refused one record for what it is (too large for the topic or the producer, invalid), not because it is
 * unavailable: sending it again would fail the same way, so the record is rejected on its own.
 *
 * @param position position of the record in the list given to {@link RecordPublisher#publish}
 * @param reason   Kafka's answer, for the site
 */
public record RefusedRecord(int position, String reason) {
}

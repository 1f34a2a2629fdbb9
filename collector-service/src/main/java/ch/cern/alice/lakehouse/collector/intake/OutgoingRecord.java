package ch.cern.alice.lakehouse.collector.intake;

/**
 * A validated record ready for Kafka.
 *
 * @param index position of the record in the request body
 * @param key   dedup key (the Kafka key)
 * @param value encoded envelope (the Kafka value)
 */
public record OutgoingRecord(int index, String key, byte[] value) {
}

package ch.cern.alice.lakehouse.collector.intake;

/** A validated record ready for Kafka: dedup key and encoded envelope. */
public record OutgoingRecord(String key, byte[] value) {
}

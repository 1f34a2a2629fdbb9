package ch.cern.alice.lakehouse.collector.intake;

/**
 * The record at {@code index} of the body repeats the record at {@code duplicateOf} (same dedup key, same normalized
 * payload, and that record is the latest one with this key before it): it was not published again.
 */
public record RecordDuplicate(int index, int duplicateOf) {
}

/**
 * What one record is and how it is checked: the Kafka record envelope, {@code RecordValidator} and its results and
 * field errors, and {@code DedupKey}, a record's identity (site plus key values) in staging and in Delta.
 */
package ch.cern.alice.lakehouse.common.record;

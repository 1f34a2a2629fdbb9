package ch.cern.alice.lakehouse.ingest.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A consumed record that cannot be staged, with the reason that goes into the {@code dlq.reason} header. */
public record DeadLetter(ConsumerRecord<byte[], byte[]> source, String reason) {
}

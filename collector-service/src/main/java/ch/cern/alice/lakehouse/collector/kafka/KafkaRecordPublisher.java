package ch.cern.alice.lakehouse.collector.kafka;

import ch.cern.alice.lakehouse.collector.intake.OutgoingRecord;
import ch.cern.alice.lakehouse.collector.intake.PublishFailedException;
import ch.cern.alice.lakehouse.collector.intake.RecordPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.List;

/**
 * Publishes a batch with one shared idempotent producer (acks=all) and returns only when Kafka acknowledged every
 * record. Sends are asynchronous; the request thread waits once, up to the ack timeout, for the whole batch. On the
 * first failure the rest of the batch is not sent: the site gets 503 and re-sends the whole batch (duplicates are
 * dropped downstream by their dedup key).
 */
public final class KafkaRecordPublisher implements RecordPublisher, AutoCloseable {

    /** Records still unacknowledged at shutdown were answered 503 (or will be); do not hang on a dead broker. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Producer<String, byte[]> producer;
    private final Duration ackTimeout;
    private final Timer ackTimer;

    public KafkaRecordPublisher(Producer<String, byte[]> producer, Duration ackTimeout, MeterRegistry registry) {
        this.producer = producer;
        this.ackTimeout = ackTimeout;
        this.ackTimer = Timer.builder("lakehouse.collector.kafka.ack")
                .description("Time from the first send of a batch until Kafka acknowledged all its records")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void publish(String topic, List<OutgoingRecord> records) {
        long start = System.nanoTime();
        long deadline = start + ackTimeout.toNanos();
        BatchAcknowledgement ack = new BatchAcknowledgement(records.size());
        for (OutgoingRecord record : records) {
            if (ack.hasFailed()) {
                break;
            }
            try {
                producer.send(new ProducerRecord<>(topic, record.key(), record.value()), ack);
            } catch (KafkaException | IllegalStateException e) {
                // e.g. no metadata for the topic within max.block.ms (broker down), or the buffer stayed full
                ack.fail(e);
            }
        }
        boolean acknowledged;
        try {
            acknowledged = ack.awaitAll(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for Kafka", e);
        }
        if (!acknowledged) {
            Exception failure = ack.failure();
            if (failure != null) {
                throw new PublishFailedException("Kafka did not accept the records of topic " + topic + ": "
                        + failure.getMessage(), failure);
            }
            throw new PublishFailedException("Kafka did not acknowledge " + ack.pending() + " of " + records.size()
                    + " records within " + ackTimeout.toMillis() + " ms", null);
        }
        ackTimer.record(Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}

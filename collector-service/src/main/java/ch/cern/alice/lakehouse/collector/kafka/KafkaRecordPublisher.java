package ch.cern.alice.lakehouse.collector.kafka;

import ch.cern.alice.lakehouse.collector.intake.OutgoingRecord;
import ch.cern.alice.lakehouse.collector.intake.PublishFailedException;
import ch.cern.alice.lakehouse.collector.intake.RecordPublisher;
import ch.cern.alice.lakehouse.collector.intake.RefusedRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.List;

/**
 * Publishes a batch with one shared idempotent producer (acks=all) and returns only when Kafka acknowledged or
 * refused every record. Sends are asynchronous; the request thread waits once, up to the ack timeout, for the whole
 * batch. A record Kafka refuses for its content (too large, invalid) is reported back and rejected on its own: a
 * resend could never succeed, so it must not turn the whole request into a 503. On the first failure of any other
 * kind the rest of the batch is not sent: the site gets 503 and re-sends the whole batch (repeats of acknowledged
 * records are dropped downstream by their dedup key).
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
    public List<RefusedRecord> publish(String topic, List<OutgoingRecord> records) {
        long start = System.nanoTime();
        long deadline = start + ackTimeout.toNanos();
        BatchAcknowledgement ack = new BatchAcknowledgement(records.size());
        for (int position = 0; position < records.size(); position++) {
            if (ack.hasFailed()) {
                break;
            }
            OutgoingRecord record = records.get(position);
            Callback callback = ack.forRecord(position);
            try {
                producer.send(new ProducerRecord<>(topic, record.key(), record.value()), callback);
            } catch (KafkaException | IllegalStateException e) {
                // The producer hands most errors (no metadata within max.block.ms, a record over max.request.size)
                // to the callback; whatever it throws instead goes the same way: refused record or failed batch.
                callback.onCompletion(null, e);
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
        return ack.refused();
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}

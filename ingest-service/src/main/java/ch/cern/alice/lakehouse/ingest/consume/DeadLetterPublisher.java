package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.ingest.config.IngestProperties;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps poison records where nothing disappears unseen: first in Postgres ({@code ingest.dead_letters}, committed;
 * admins list, replay and discard them there), then on the topic {@code lakehouse.dlq} as a feed for other consumers
 * (the original key and value bytes unchanged, plus the headers of docs/contracts.md; the topic expires records).
 * Returns only once both hold every letter, so the listener commits offsets only after that.
 */
@Component
public class DeadLetterPublisher {

    public static final String SERVICE_NAME = "ingest-service";

    private final KafkaTemplate<byte[], byte[]> kafka;
    private final IngestProperties properties;
    private final DeadLetterStore store;

    public DeadLetterPublisher(KafkaTemplate<byte[], byte[]> kafka, IngestProperties properties,
                               DeadLetterStore store) {
        this.kafka = kafka;
        this.properties = properties;
        this.store = store;
    }

    public void publish(List<DeadLetter> letters) throws DeadLetterException {
        if (letters.isEmpty()) {
            return;
        }
        try {
            store.save(letters);
        } catch (DataAccessException | TransactionException e) {
            throw new DeadLetterException("dead-letter store unavailable: " + e.getMostSpecificCause().getMessage(),
                    e);
        }
        List<CompletableFuture<SendResult<byte[], byte[]>>> sends = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            sends.add(kafka.send(toProducerRecord(letter)));
        }
        long deadline = System.nanoTime() + properties.dlqSendTimeout().toNanos();
        try {
            for (CompletableFuture<SendResult<byte[], byte[]>> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new DeadLetterException("DLQ send failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DeadLetterException("DLQ send not acknowledged within " + properties.dlqSendTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted while waiting for the DLQ", e);
        }
    }

    private static ProducerRecord<byte[], byte[]> toProducerRecord(DeadLetter letter) {
        ConsumerRecord<byte[], byte[]> source = letter.source();
        RecordHeaders headers = new RecordHeaders();
        headers.add("dlq.reason", utf8(letter.reason()));
        headers.add("dlq.topic", utf8(source.topic()));
        headers.add("dlq.partition", utf8(Integer.toString(source.partition())));
        headers.add("dlq.offset", utf8(Long.toString(source.offset())));
        headers.add("dlq.service", utf8(SERVICE_NAME));
        return new ProducerRecord<>(DatasetDescriptor.DLQ_TOPIC, null, source.key(), source.value(), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

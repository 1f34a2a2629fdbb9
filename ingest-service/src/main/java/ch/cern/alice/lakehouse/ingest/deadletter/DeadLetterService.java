package ch.cern.alice.lakehouse.ingest.deadletter;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.record.FieldError;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import ch.cern.alice.lakehouse.ingest.config.IngestProperties;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What admins do with a dead letter. Replay: the payload (the original one, or a corrected one given by the admin)
 * is validated exactly as the collector and the ingest listener would, then published to the dataset's topic as a
 * new envelope with the original site and receive time, and the letter is marked REPLAYED once Kafka acknowledged
 * it; the listener stages it like any record (newest wins). Discard: the letter is marked DISCARDED, kept for audit.
 * A letter is locked while it is replayed, so two admins cannot replay it at once.
 */
@Service
public class DeadLetterService {

    public static final String REPLAYED_BY_HEADER = "lakehouse.replayed-by";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterService.class);

    private final DeadLetterStore store;
    private final DatasetCatalog catalog;
    private final EnvelopeDecoder decoder;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final IngestProperties properties;
    private final DeadLetterMonitor monitor;
    private final TransactionTemplate transaction;
    private final JsonMapper json = JsonMapper.builder().build();

    public DeadLetterService(DeadLetterStore store, DatasetCatalog catalog, EnvelopeDecoder decoder,
                             KafkaTemplate<byte[], byte[]> kafka, IngestProperties properties,
                             DeadLetterMonitor monitor, PlatformTransactionManager transactions) {
        this.store = store;
        this.catalog = catalog;
        this.decoder = decoder;
        this.kafka = kafka;
        this.properties = properties;
        this.monitor = monitor;
        this.transaction = new TransactionTemplate(transactions);
    }

    public StoredDeadLetter get(long id) {
        return store.find(id).orElseThrow(() -> new NotFoundException(id));
    }

    /**
     * @param replacement corrected payload, or null to replay the original one
     * @throws InvalidReplayException    when the payload would be rejected again (nothing is published)
     * @throws ConflictException         when the letter was discarded or cannot be replayed at all
     * @throws ReplayNotAckedException   when Kafka did not acknowledge the new record (the letter stays as it was)
     */
    public StoredDeadLetter replay(long id, Map<String, Object> replacement, String user) {
        transaction.executeWithoutResult(status -> {
            StoredDeadLetter letter = store.findForUpdate(id).orElseThrow(() -> new NotFoundException(id));
            if (letter.status() == DeadLetterStatus.DISCARDED) {
                throw new ConflictException("dead letter " + id + " was discarded by " + letter.discardedBy()
                        + " at " + letter.discardedAt() + "; discarded letters are kept for audit only");
            }
            DatasetDescriptor dataset = catalog.byTopic(letter.topic()).orElseThrow(() -> new ConflictException(
                    "topic " + letter.topic() + " of dead letter " + id + " belongs to no dataset of the catalog"));
            OriginalEnvelope original = OriginalEnvelope.parse(letter.envelope());
            if (original.site() == null) {
                throw new ConflictException("the original envelope of dead letter " + id + " names no site, so it "
                        + "cannot be replayed (the sending site owns a record); discard it and have the site send "
                        + "the record again");
            }
            Map<String, Object> payload = replacement != null ? replacement : original.payload();
            if (payload == null) {
                throw new InvalidReplayException("the original envelope of dead letter " + id + " holds no payload "
                        + "object: replay it with a corrected payload", List.of());
            }
            ValidationResult validation = RecordValidator.validate(dataset, payload, original.site());
            if (!validation.isValid()) {
                throw new InvalidReplayException((replacement != null ? "the corrected payload" : "the original "
                        + "payload") + " is still invalid for dataset " + dataset.name(), validation.errors());
            }
            long receivedAt = original.receivedAt() != null ? original.receivedAt() : System.currentTimeMillis();
            byte[] envelope = envelope(dataset, original.site(), validation, receivedAt);
            if (decoder.decode(dataset.topic(), envelope) instanceof EnvelopeDecoder.Rejected rejected) {
                throw new InvalidReplayException("the replayed record would be dead-lettered again: "
                        + rejected.reason(), List.of());
            }
            RecordMetadata sent = publish(dataset, validation.key(), envelope, id, user);
            store.markReplayed(id, user, sent.partition(), sent.offset(), envelope);
            log.info("Dead letter {} replayed by {} to {}-{}@{}{}", id, user, sent.topic(), sent.partition(),
                    sent.offset(), replacement != null ? " with a corrected payload" : "");
        });
        monitor.refresh();
        return get(id);
    }

    public StoredDeadLetter discard(long id, String note, String user) {
        if (!store.markDiscarded(id, user, note == null || note.isBlank() ? null : note.strip())) {
            StoredDeadLetter letter = get(id);
            throw new ConflictException("dead letter " + id + " was already discarded by " + letter.discardedBy()
                    + " at " + letter.discardedAt());
        }
        log.info("Dead letter {} discarded by {}", id, user);
        monitor.refresh();
        return get(id);
    }

    private byte[] envelope(DatasetDescriptor dataset, String site, ValidationResult validation, long receivedAt) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("dataset", dataset.name());
        envelope.put("site", site);
        envelope.put("key", validation.key());
        envelope.put("receivedAt", receivedAt);
        envelope.put("payload", validation.payload());
        return json.writeValueAsBytes(envelope);
    }

    private RecordMetadata publish(DatasetDescriptor dataset, String key, byte[] envelope, long id, String user) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterStore.REPLAY_OF_HEADER, Long.toString(id).getBytes(StandardCharsets.UTF_8));
        headers.add(REPLAYED_BY_HEADER, user.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dataset.topic(), null,
                key.getBytes(StandardCharsets.UTF_8), envelope, headers);
        try {
            return kafka.send(record).get(properties.dlqSendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .getRecordMetadata();
        } catch (ExecutionException e) {
            throw new ReplayNotAckedException("Kafka refused the replayed record of dead letter " + id + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ReplayNotAckedException("Kafka did not acknowledge the replayed record of dead letter " + id
                    + " within " + properties.dlqSendTimeout() + "; it may still arrive: check the letter and "
                    + "staging before replaying again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayNotAckedException("interrupted while waiting for Kafka", e);
        }
    }

    public static class NotFoundException extends RuntimeException {
        public NotFoundException(long id) {
            super("no dead letter " + id);
        }
    }

    public static class ConflictException extends RuntimeException {
        public ConflictException(String message) {
            super(message);
        }
    }

    /** The replayed payload would be rejected: {@code errors} per field when validation said so. */
    public static class InvalidReplayException extends RuntimeException {
        private final List<FieldError> errors;

        public InvalidReplayException(String message, List<FieldError> errors) {
            super(message);
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    public static class ReplayNotAckedException extends RuntimeException {
        public ReplayNotAckedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

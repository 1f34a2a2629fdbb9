package ch.cern.alice.lakehouse.collector.intake;

import ch.cern.alice.lakehouse.collector.stats.CollectorStats;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.record.RecordEnvelope;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import tools.jackson.core.json.JsonFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch from one site: parse the body record by record, validate each against its dataset, encode the valid
 * ones as envelopes, then publish them all and wait for Kafka's acknowledgement. Nothing is published unless the
 * whole body parsed, so a 400/413 never leaves part of a batch on Kafka. Memory per request stays close to the
 * body size: a record is kept only as its encoded envelope.
 */
public final class RecordIntake {

    private final RecordStreamParser parser;
    private final RecordPublisher publisher;
    private final CollectorStats stats;
    private final int maxRecords;

    public RecordIntake(JsonFactory jsonFactory, RecordPublisher publisher, CollectorStats stats, int maxRecords) {
        this.parser = new RecordStreamParser(jsonFactory);
        this.publisher = publisher;
        this.stats = stats;
        this.maxRecords = maxRecords;
    }

    /**
     * @param site the sender, from its API key
     * @throws MalformedBodyException  body is not JSON of the given format
     * @throws BodyTooLargeException   too many records (or bytes, raised by the body stream)
     * @throws PublishFailedException  Kafka did not acknowledge every valid record
     */
    public IntakeResult intake(String site, DatasetDescriptor dataset, InputStream body, BodyFormat format) {
        long receivedAt = System.currentTimeMillis();
        List<OutgoingRecord> valid = new ArrayList<>();
        List<RecordRejection> rejected = new ArrayList<>();
        try (EnvelopeEncoder encoder = new EnvelopeEncoder()) {
            parser.parse(body, format, (index, record) -> {
                if (index >= maxRecords) {
                    throw new BodyTooLargeException("the body holds more than " + maxRecords + " records");
                }
                ValidationResult result = RecordValidator.validate(dataset, record, site);
                if (result.isValid()) {
                    RecordEnvelope envelope = new RecordEnvelope(dataset.name(), site, result.key(), receivedAt,
                            result.payload());
                    valid.add(new OutgoingRecord(result.key(), encoder.encode(envelope)));
                } else {
                    rejected.add(new RecordRejection(index, result.errors()));
                }
            });
        }
        if (!valid.isEmpty()) {
            try {
                publisher.publish(dataset.topic(), valid);
            } catch (PublishFailedException e) {
                stats.recordUnacknowledged(site, dataset.name(), valid.size());
                throw e;
            }
        }
        stats.recordOutcome(site, dataset.name(), valid.size(), rejected.size());
        return new IntakeResult(valid.size(), rejected);
    }
}

package ch.cern.alice.lakehouse.collector.intake;

import ch.cern.alice.lakehouse.collector.stats.CollectorStats;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.record.FieldError;
import ch.cern.alice.lakehouse.common.record.RecordEnvelope;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One batch from one site: parse the body record by record, validate each against its dataset, encode the valid
 * ones as envelopes, then publish them all and wait for Kafka's acknowledgement. Nothing is published unless the
 * whole body parsed, so a 400/413 never leaves part of a batch on Kafka. Memory per request stays close to the
 * body size: a record is kept only as its encoded envelope.
 * <p>
 * Every record ends in exactly one outcome of the answer: accepted, rejected with its reasons (invalid, larger than
 * the record limit, or refused by Kafka for its content), or a duplicate: the same dedup key and the same normalized
 * payload as the latest earlier record with that key in the body, published once. A record with the key of an
 * earlier one but other content (an update) is published too, in body order, so the newest-wins rule downstream
 * sees every state.
 */
public final class RecordIntake {

    /** Decodes envelopes only to compare two records with the same key whose bytes differ (rare). */
    private static final JsonMapper ENVELOPES = JsonMapper.builder().build();

    private final RecordStreamParser parser;
    private final RecordPublisher publisher;
    private final CollectorStats stats;
    private final int maxRecords;
    private final long maxRecordBytes;

    public RecordIntake(JsonFactory jsonFactory, RecordPublisher publisher, CollectorStats stats, int maxRecords,
                        long maxRecordBytes) {
        this.parser = new RecordStreamParser(jsonFactory);
        this.publisher = publisher;
        this.stats = stats;
        this.maxRecords = maxRecords;
        this.maxRecordBytes = maxRecordBytes;
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
        List<RecordDuplicate> duplicates = new ArrayList<>();
        // dedup key -> position in 'valid' of the latest record with that key
        Map<String, Integer> latestByKey = new HashMap<>();
        try (EnvelopeEncoder encoder = new EnvelopeEncoder()) {
            parser.parse(body, format, (index, record) -> {
                if (index >= maxRecords) {
                    throw new BodyTooLargeException("the body holds more than " + maxRecords + " records");
                }
                ValidationResult result = RecordValidator.validate(dataset, record, site);
                if (!result.isValid()) {
                    rejected.add(new RecordRejection(index, result.errors()));
                    return;
                }
                String key = result.key();
                byte[] value = encoder.encode(new RecordEnvelope(dataset.name(), site, key, receivedAt,
                        result.payload()));
                long size = (long) value.length + utf8Length(key);
                if (size > maxRecordBytes) {
                    rejected.add(new RecordRejection(index, List.of(tooLarge(size, value.length, result.payload()))));
                    return;
                }
                Integer latest = latestByKey.get(key);
                if (latest != null && sameRecord(valid.get(latest).value(), value)) {
                    duplicates.add(new RecordDuplicate(index, valid.get(latest).index()));
                    return;
                }
                latestByKey.put(key, valid.size());
                valid.add(new OutgoingRecord(index, key, value));
            });
        }
        List<RefusedRecord> refused = List.of();
        if (!valid.isEmpty()) {
            try {
                refused = publisher.publish(dataset.topic(), valid);
            } catch (PublishFailedException e) {
                stats.recordUnacknowledged(site, dataset.name(), valid.size());
                throw e;
            }
        }
        if (!refused.isEmpty()) {
            reportRefusals(valid, refused, rejected, duplicates);
        }
        int accepted = valid.size() - refused.size();
        stats.recordOutcome(site, dataset.name(), accepted, rejected.size(), duplicates.size());
        return new IntakeResult(accepted, rejected, duplicates);
    }

    /** Records Kafka refused become rejections, and so do the duplicates of them: nothing of theirs was stored. */
    private static void reportRefusals(List<OutgoingRecord> valid, List<RefusedRecord> refused,
                                       List<RecordRejection> rejected, List<RecordDuplicate> duplicates) {
        Map<Integer, String> reasonByIndex = new HashMap<>();
        for (RefusedRecord r : refused) {
            int index = valid.get(r.position()).index();
            String reason = "not stored: Kafka refused the record (" + r.reason() + "); the other records of the "
                    + "batch are not affected";
            reasonByIndex.put(index, reason);
            rejected.add(new RecordRejection(index, List.of(new FieldError(null, reason))));
        }
        for (Iterator<RecordDuplicate> it = duplicates.iterator(); it.hasNext(); ) {
            RecordDuplicate d = it.next();
            String reason = reasonByIndex.get(d.duplicateOf());
            if (reason != null) {
                it.remove();
                rejected.add(new RecordRejection(d.index(), List.of(new FieldError(null,
                        "repeats record " + d.duplicateOf() + ", which was " + reason))));
            }
        }
        rejected.sort(Comparator.comparingInt(RecordRejection::index));
    }

    private FieldError tooLarge(long size, int envelopeBytes, Map<String, Object> payload) {
        String largest = null;
        int largestLength = -1;
        for (Map.Entry<String, Object> field : payload.entrySet()) {
            if (field.getValue() instanceof String s && s.length() > largestLength) {
                largest = field.getKey();
                largestLength = s.length();
            }
        }
        return new FieldError(null, "the record is " + size + " bytes as a Kafka message (envelope "
                + envelopeBytes + " + key " + (size - envelopeBytes) + "), over the limit of " + maxRecordBytes
                + " bytes per record (COLLECTOR_MAX_RECORD_BYTES)"
                + (largest == null ? "" : "; its largest field is " + largest + " (" + largestLength + " characters)")
                + "; the record is not stored, the other records of the batch are not affected");
    }

    /**
     * Same envelope: byte-equal, or equal once decoded (the payload fields can come in another order, e.g. a site
     * field sent explicitly vs. filled in from the key).
     */
    private static boolean sameRecord(byte[] earlier, byte[] current) {
        if (Arrays.equals(earlier, current)) {
            return true;
        }
        return Objects.equals(ENVELOPES.readValue(earlier, Map.class), ENVELOPES.readValue(current, Map.class));
    }

    /** UTF-8 length of a string, without encoding it (the key is encoded by the Kafka serializer later). */
    static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}

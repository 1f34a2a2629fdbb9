package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldType;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import ch.cern.alice.lakehouse.ingest.staging.StagedRow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a Kafka record into a staging row, or says precisely why it cannot (then it is a poison record
 * for the DLQ). The payload is validated again against the descriptor as a safety net and stored normalized.
 * <p>
 * The envelope's {@code site} (the collector took it from the sender's API key) owns the record: a payload whose site
 * field names another site is a poison record, an absent site field is filled in. The dedup key staged is always
 * recomputed from that site and the payload ({@code DatasetDescriptor.dedupKey}); the envelope's {@code key} must be
 * present but its value is not trusted: envelopes written before issue #12 carry the old key format (values without
 * the site), and a key that disagrees with the payload could otherwise replace or hide another record.
 */
@Component
public class EnvelopeDecoder {

    private static final int MAX_REASON_DETAIL = 300;

    private final DatasetCatalog catalog;
    private final CanonicalEnvelopeReader canonical;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public EnvelopeDecoder(DatasetCatalog catalog) {
        this.catalog = catalog;
        this.canonical = new CanonicalEnvelopeReader(catalog.all());
    }

    public sealed interface Decoded permits Accepted, Rejected {
    }

    public record Accepted(StagedRow row) implements Decoded {
    }

    /** @param reason what is wrong, for the {@code dlq.reason} header */
    public record Rejected(String reason) implements Decoded {
    }

    /** Decodes a consumed record; the row carries its Kafka partition and offset (the last tie-breaks of updates). */
    public Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        Decoded decoded = decode(record.topic(), record.value());
        return decoded instanceof Accepted accepted
                ? new Accepted(accepted.row().at(record.partition(), record.offset())) : decoded;
    }

    /** Decodes the value of a record of {@code topic}; the row has no Kafka position. */
    public Decoded decode(String topic, byte[] value) {
        Optional<DatasetDescriptor> topicDataset = catalog.byTopic(topic);
        if (topicDataset.isEmpty()) {
            return new Rejected("topic " + topic + " belongs to no dataset of the catalog");
        }
        if (value == null || value.length == 0) {
            return new Rejected("empty message: expected a JSON record envelope");
        }
        StagedRow row = canonical.read(topicDataset.get(), value);
        if (row != null) {
            return new Accepted(row);
        }
        Object decoded;
        try {
            decoded = json.readValue(value, Object.class);
        } catch (JacksonException e) {
            return new Rejected("not JSON: " + abbreviate(e.getOriginalMessage()));
        }
        if (!(decoded instanceof Map<?, ?> envelope)) {
            return new Rejected("not a record envelope: expected a JSON object, got "
                    + (decoded instanceof List<?> ? "an array" : "a JSON " + kind(decoded)));
        }
        return decodeEnvelope(topicDataset.get(), envelope);
    }

    private Decoded decodeEnvelope(DatasetDescriptor topicDataset, Map<?, ?> envelope) {
        List<String> problems = new ArrayList<>();
        String dataset = text(envelope, "dataset", problems);
        String site = text(envelope, "site", problems);
        text(envelope, "key", problems); // part of the envelope contract; the staged key is recomputed
        Long receivedAt = epochMillis(envelope.get("receivedAt"), problems);
        Object payload = envelope.get("payload");
        if (!(payload instanceof Map<?, ?>)) {
            problems.add(payload == null ? "payload is missing" : "payload must be a JSON object");
        }
        if (!problems.isEmpty()) {
            return new Rejected("not a record envelope: " + String.join("; ", problems));
        }
        if (catalog.find(dataset).isEmpty()) {
            return new Rejected("unknown dataset '" + abbreviate(dataset) + "'; known datasets: "
                    + String.join(", ", catalog.names()));
        }
        if (!dataset.equals(topicDataset.name())) {
            return new Rejected("envelope of dataset '" + dataset + "' on topic " + topicDataset.topic());
        }
        ValidationResult validation = RecordValidator.validate(topicDataset, payload, site);
        if (!validation.isValid()) {
            return new Rejected("payload fails validation: " + abbreviate(validation.errors().stream()
                    .map(Object::toString).collect(Collectors.joining("; "))));
        }
        String nulField = fieldWithNul(validation.payload());
        if (nulField != null) {
            return new Rejected("payload field " + nulField
                    + " holds a NUL character (U+0000), which staging cannot store");
        }
        byte[] payloadJson;
        try {
            payloadJson = json.writeValueAsBytes(validation.payload());
        } catch (JacksonException e) {
            return new Rejected("payload cannot be written as JSON: " + abbreviate(e.getOriginalMessage()));
        }
        return new Accepted(new StagedRow(dataset, validation.key(), site, receivedAt, payloadJson,
                orderedAtMillis(topicDataset, validation.payload())));
    }

    /** The order field's value in epoch ms, null when the dataset has no order field or the record did not send it. */
    static Long orderedAtMillis(DatasetDescriptor dataset, Map<String, Object> payload) {
        return dataset.orderField().map(field -> {
            Object value = payload.get(field);
            return value == null ? null : dataset.field(field).orElseThrow().type().toEpochMillis(value);
        }).orElse(null);
    }

    /**
     * Staging stores the payload as TEXT, where the JSON escape of U+0000 would be accepted, but every
     * {@code payload::jsonb} on such a row fails (jsonb refuses U+0000): such records stay poison records.
     */
    private static String fieldWithNul(Map<String, Object> payload) {
        for (Map.Entry<String, Object> field : payload.entrySet()) {
            if (field.getValue() instanceof String s && s.indexOf(0) >= 0) {
                return field.getKey();
            }
        }
        return null;
    }

    private static String text(Map<?, ?> envelope, String field, List<String> problems) {
        Object value = envelope.get(field);
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        problems.add(value == null ? field + " is missing" : field + " must be a non-empty string");
        return null;
    }

    private static Long epochMillis(Object value, List<String> problems) {
        if (value == null) {
            problems.add("receivedAt is missing");
            return null;
        }
        if (!(value instanceof Number)) {
            problems.add("receivedAt must be epoch milliseconds (a number)");
            return null;
        }
        try {
            return (Long) FieldType.EPOCH_MS.coerce(value);
        } catch (IllegalArgumentException e) {
            problems.add("receivedAt: " + e.getMessage());
            return null;
        }
    }

    private static String kind(Object value) {
        return value == null ? "null" : value instanceof String ? "string" : value instanceof Boolean ? "boolean"
                : "number";
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > MAX_REASON_DETAIL ? oneLine.substring(0, MAX_REASON_DETAIL - 3) + "..." : oneLine;
    }
}

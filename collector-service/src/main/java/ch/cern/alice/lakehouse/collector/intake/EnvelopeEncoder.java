package ch.cern.alice.lakehouse.collector.intake;

import ch.cern.alice.lakehouse.common.record.RecordEnvelope;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Writes the Kafka value of a record: the UTF-8 JSON envelope of docs/contracts.md,
 * {@code {"dataset","site","key","receivedAt","payload"}}. Payload values are the canonical types produced by
 * validation, written straight to the generator. One generator and one buffer serve all records of a request
 * (creating a generator per record costs as much as writing it). Not thread-safe: one encoder per request.
 */
public final class EnvelopeEncoder implements AutoCloseable {

    /** No separator between the root-level envelopes the shared generator writes one after the other. */
    private static final JsonFactory FACTORY = JsonFactory.builder().rootValueSeparator((String) null).build();

    private static final SerializableString DATASET = new SerializedString("dataset");
    private static final SerializableString SITE = new SerializedString("site");
    private static final SerializableString KEY = new SerializedString("key");
    private static final SerializableString RECEIVED_AT = new SerializedString("receivedAt");
    private static final SerializableString PAYLOAD = new SerializedString("payload");

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    private final JsonGenerator out = FACTORY.createGenerator(buffer);

    public byte[] encode(RecordEnvelope envelope) {
        out.writeStartObject();
        out.writeName(DATASET);
        out.writeString(envelope.dataset());
        out.writeName(SITE);
        out.writeString(envelope.site());
        out.writeName(KEY);
        out.writeString(envelope.key());
        out.writeName(RECEIVED_AT);
        out.writeNumber(envelope.receivedAtMillis());
        out.writeName(PAYLOAD);
        writePayload(envelope.payload());
        out.writeEndObject();
        out.flush();
        byte[] encoded = buffer.toByteArray();
        buffer.reset();
        return encoded;
    }

    @Override
    public void close() {
        out.close();
    }

    private void writePayload(Map<String, Object> payload) {
        out.writeStartObject();
        for (Map.Entry<String, Object> field : payload.entrySet()) {
            out.writeName(field.getKey());
            Object value = field.getValue();
            if (value == null) {
                out.writeNull();
            } else if (value instanceof String s) {
                out.writeString(s);
            } else if (value instanceof Long l) {
                out.writeNumber(l);
            } else if (value instanceof Integer i) {
                out.writeNumber(i);
            } else if (value instanceof Double d) {
                out.writeNumber(d);
            } else if (value instanceof Boolean b) {
                out.writeBoolean(b);
            } else {
                throw new IllegalStateException("validated payloads hold only canonical types, got "
                        + value.getClass().getName() + " in field " + field.getKey());
            }
        }
        out.writeEndObject();
    }
}

package ch.cern.alice.lakehouse.ingest.deadletter;

import ch.cern.alice.lakehouse.common.dataset.FieldType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What can still be read from a dead letter's bytes: each part is null when the envelope does not hold it in a usable
 * form (not JSON, not an object, field missing or of the wrong type). Never throws.
 *
 * @param site       the envelope's {@code site} (the sending site, from its API key at the collector)
 * @param receivedAt the envelope's {@code receivedAt} in epoch milliseconds
 * @param payload    the envelope's {@code payload} object
 */
public record OriginalEnvelope(String site, Long receivedAt, Map<String, Object> payload) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static OriginalEnvelope parse(byte[] value) {
        if (value == null || value.length == 0) {
            return new OriginalEnvelope(null, null, null);
        }
        Object decoded;
        try {
            decoded = JSON.readValue(value, Object.class);
        } catch (JacksonException e) {
            return new OriginalEnvelope(null, null, null);
        }
        if (!(decoded instanceof Map<?, ?> envelope)) {
            return new OriginalEnvelope(null, null, null);
        }
        String site = envelope.get("site") instanceof String s && !s.isBlank() ? s : null;
        Long receivedAt = null;
        if (envelope.get("receivedAt") instanceof Number number) {
            try {
                receivedAt = (Long) FieldType.EPOCH_MS.coerce(number);
            } catch (IllegalArgumentException e) {
                receivedAt = null;
            }
        }
        Map<String, Object> payload = null;
        if (envelope.get("payload") instanceof Map<?, ?> map) {
            payload = new LinkedHashMap<>();
            for (Map.Entry<?, ?> field : map.entrySet()) {
                payload.put(String.valueOf(field.getKey()), field.getValue());
            }
        }
        return new OriginalEnvelope(site, receivedAt, payload);
    }
}

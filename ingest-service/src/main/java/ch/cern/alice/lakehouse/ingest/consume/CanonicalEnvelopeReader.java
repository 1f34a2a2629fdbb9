package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;
import ch.cern.alice.lakehouse.common.dataset.FieldType;
import ch.cern.alice.lakehouse.common.record.DedupKey;
import ch.cern.alice.lakehouse.ingest.staging.StagedRow;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Fast path of {@link EnvelopeDecoder} for envelopes as the collector writes them: one streaming pass checks every
 * payload value against the descriptor without building objects, and the payload's bytes are staged as they are
 * instead of being parsed into a map and written again.
 * <p>
 * It only accepts what the full decoder would accept with the same payload: each value already in its canonical
 * form (an integer for BIGINT/INT/timestamps, a fraction for DOUBLE, a string for STRING/TEXT, true/false for
 * BOOLEAN) and valid as {@link FieldType#isCanonical} says (the one definition of each type's checks), no nulls, no unknown or repeated fields, every required field present, a pure ASCII payload without
 * backslash-u escapes (so no NUL, no invalid UTF-8, no lone surrogates can slip through), and the dataset's site
 * field, if it has one, present and naming the envelope's site. For anything else it answers {@code null} and the
 * full decoder decides, so rejections and their reasons do not change. Like the full decoder it computes the dedup key
 * from the envelope's site and the payload's key values and reads the order field's value.
 * Thread-safe.
 */
final class CanonicalEnvelopeReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_FIELDS = Long.SIZE;

    private final Map<String, PayloadShape> shapes = new HashMap<>();

    CanonicalEnvelopeReader(Collection<DatasetDescriptor> datasets) {
        for (DatasetDescriptor dataset : datasets) {
            if (dataset.fields().size() <= MAX_FIELDS) {
                shapes.put(dataset.name(), new PayloadShape(dataset));
            }
        }
    }

    /** @return the row, or null when the envelope needs the full decoder */
    StagedRow read(DatasetDescriptor topicDataset, byte[] value) {
        PayloadShape shape = shapes.get(topicDataset.name());
        if (shape == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(value)) {
            return read(topicDataset, shape, parser, value);
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    private static StagedRow read(DatasetDescriptor dataset, PayloadShape shape, JsonParser parser, byte[] value) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        PayloadValues values = shape.newValues();
        boolean datasetSeen = false;
        String site = null;
        String key = null;
        long receivedAt = Long.MIN_VALUE;
        byte[] payload = null;
        String name;
        while ((name = parser.nextName()) != null) {
            JsonToken token = parser.nextToken();
            switch (name) {
                case "dataset" -> {
                    if (datasetSeen || token != JsonToken.VALUE_STRING
                            || !dataset.name().equals(parser.getString())) {
                        return null;
                    }
                    datasetSeen = true;
                }
                case "site" -> {
                    if (site != null || (site = nonBlankString(parser, token)) == null) {
                        return null;
                    }
                }
                case "key" -> {
                    if (key != null || (key = nonBlankString(parser, token)) == null) {
                        return null;
                    }
                }
                case "receivedAt" -> {
                    if (receivedAt != Long.MIN_VALUE || !isLong(parser, token)) {
                        return null;
                    }
                    receivedAt = parser.getLongValue();
                    FieldType.EPOCH_MS.coerce(receivedAt);
                }
                case "payload" -> {
                    if (payload != null || token != JsonToken.START_OBJECT) {
                        return null;
                    }
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    if (!shape.accepts(parser, values)) {
                        return null;
                    }
                    int end = (int) parser.currentLocation().getByteOffset();
                    if (!isPlainAscii(value, start, end)) {
                        return null;
                    }
                    payload = Arrays.copyOfRange(value, start, end);
                }
                default -> {
                    return null;
                }
            }
        }
        if (parser.nextToken() != null || !datasetSeen || site == null || key == null
                || receivedAt == Long.MIN_VALUE || payload == null) {
            return null;
        }
        if (shape.siteIndex >= 0 && !site.equals(values.site)) {
            return null; // another site (rejected) or absent (filled in): the full decoder's job
        }
        return new StagedRow(dataset.name(), DedupKey.of(site, Arrays.asList(values.keyValues)), site, receivedAt,
                payload, values.orderedAtMillis);
    }

    private static String nonBlankString(JsonParser parser, JsonToken token) {
        if (token != JsonToken.VALUE_STRING) {
            return null;
        }
        String text = parser.getString();
        return text.isBlank() ? null : text;
    }

    private static boolean isLong(JsonParser parser, JsonToken token) {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = parser.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    /** No byte >= 0x80 and no backslash-u escape (an escaped backslash before a u only costs a detour through the full decoder). */
    private static boolean isPlainAscii(byte[] value, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = value[i];
            if (b < 0 || (b == '\\' && i + 1 < end && value[i + 1] == 'u')) {
                return false;
            }
        }
        return true;
    }

    /** The payload values the staging row needs besides the bytes: key values, site and order field value. */
    private static final class PayloadValues {

        final Object[] keyValues;
        String site;
        Long orderedAtMillis;

        PayloadValues(int keyFields) {
            keyValues = new Object[keyFields];
        }
    }

    /** The fields of one dataset, indexed for the streaming check. */
    private static final class PayloadShape {

        private final Map<String, Integer> indexByName = new HashMap<>();
        private final FieldSpec[] fields;
        private final long requiredMask;
        /** Per field: its position in the dedup key, or -1. */
        private final int[] keyPosition;
        private final int keyFields;
        private final int siteIndex;
        private final int orderIndex;

        PayloadShape(DatasetDescriptor dataset) {
            fields = dataset.fields().toArray(FieldSpec[]::new);
            keyPosition = new int[fields.length];
            long required = 0;
            for (int i = 0; i < fields.length; i++) {
                indexByName.put(fields[i].name(), i);
                if (fields[i].required()) {
                    required |= 1L << i;
                }
                keyPosition[i] = dataset.keyFields().indexOf(fields[i].name());
            }
            requiredMask = required;
            keyFields = dataset.keyFields().size();
            siteIndex = dataset.siteField().map(indexByName::get).orElse(-1);
            orderIndex = dataset.orderField().map(indexByName::get).orElse(-1);
        }

        PayloadValues newValues() {
            return new PayloadValues(keyFields);
        }

        /**
         * Reads the payload object up to its closing brace; true if every value is canonical and valid. Key, site
         * and order values go into {@code values} (key fields are required, so all are set when it answers true).
         */
        boolean accepts(JsonParser parser, PayloadValues values) {
            long seen = 0;
            String name;
            while ((name = parser.nextName()) != null) {
                Integer index = indexByName.get(name);
                if (index == null || (seen & (1L << index)) != 0) {
                    return false;
                }
                seen |= 1L << index;
                FieldType type = fields[index].type();
                Object value = canonicalValue(type, parser, parser.nextToken());
                if (value == null) {
                    return false;
                }
                if (keyPosition[index] >= 0) {
                    values.keyValues[keyPosition[index]] = value;
                }
                if (index == siteIndex) {
                    values.site = (String) value;
                } else if (index == orderIndex) {
                    values.orderedAtMillis = type.toEpochMillis(value);
                }
            }
            return parser.currentToken() == JsonToken.END_OBJECT && (seen & requiredMask) == requiredMask;
        }

    }

    /**
     * The value of the current token as validation would give it when it is canonical for the type (its
     * {@code String.valueOf} goes into the dedup key), else null. The token gives the Java value (an integer token
     * within long range a Long, an INT-sized one an Integer for INT columns, a fraction a Double, true/false a
     * Boolean, a string a String); whether that value is canonical and valid is {@link FieldType#isCanonical}'s call.
     */
    static Object canonicalValue(FieldType type, JsonParser parser, JsonToken token) {
        Object value = switch (token) {
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> type == FieldType.INT ? (Object) parser.getIntValue() : (Object) parser.getLongValue();
                case LONG -> parser.getLongValue();
                default -> null;
            };
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> parser.getString();
            default -> null;
        };
        return value != null && type.isCanonical(value) ? value : null;
    }
}

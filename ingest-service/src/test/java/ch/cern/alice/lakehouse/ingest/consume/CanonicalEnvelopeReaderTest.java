package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Accepted;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Decoded;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Rejected;
import ch.cern.alice.lakehouse.ingest.staging.StagedRow;
import ch.cern.alice.lakehouse.ingest.testsupport.Envelopes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalEnvelopeReaderTest {

    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();
    private static final DatasetDescriptor TRACE = CATALOG.get("trace");

    private final CanonicalEnvelopeReader reader = new CanonicalEnvelopeReader(CATALOG.all());
    private final EnvelopeDecoder decoder = new EnvelopeDecoder(CATALOG);

    @Test
    void takesTheCollectorsPayloadBytesAsTheyAre() {
        Map<String, Object> payload = Envelopes.tracePayload(42);
        StagedRow row = reader.read(TRACE, Envelopes.envelope("trace", "CERN", "42", Envelopes.RECEIVED_AT, payload));

        assertThat(row).isNotNull();
        assertThat(row.dataset()).isEqualTo("trace");
        assertThat(row.dedupKey()).isEqualTo("CERN|42");
        assertThat(row.site()).isEqualTo("CERN");
        assertThat(row.receivedAtMillis()).isEqualTo(Envelopes.RECEIVED_AT);
        assertThat(row.payload()).isEqualTo(Envelopes.json(payload));
    }

    @Test
    void stagesTheSamePayloadAsTheFullDecoder() {
        // the collector writes the fields in descriptor order, as the full decoder does
        Map<String, Object> payload = inDescriptorOrder(Envelopes.tracePayload(7));
        payload.put("host", "wn\"7\"\\ \n\t.cern.ch");
        byte[] envelope = Envelopes.envelope("trace", "CERN", "7", Envelopes.RECEIVED_AT, payload);
        StagedRow fast = reader.read(TRACE, envelope);
        // the same values with an integer for a DOUBLE column, which only the full decoder accepts
        Map<String, Object> slowPayload = Envelopes.tracePayload(7);
        slowPayload.put("host", "wn\"7\"\\ \n\t.cern.ch");
        slowPayload.put("cpuefficiency", 87);
        byte[] slowEnvelope = Envelopes.envelope("trace", "CERN", "7", Envelopes.RECEIVED_AT, slowPayload);
        assertThat(reader.read(TRACE, slowEnvelope)).isNull();
        StagedRow slow = ((Accepted) decoder.decode("lakehouse.trace", slowEnvelope)).row();

        assertThat(fast).isNotNull();
        assertThat(fast.payloadJson()).isEqualTo(slow.payloadJson())
                .contains("\"host\":\"wn\\\"7\\\"\\\\ \\n\\t.cern.ch\"");
    }

    @Test
    void computesTheSameKeyAndOrderValueAsTheFullDecoder() {
        Map<String, Object> trace = inDescriptorOrder(Envelopes.tracePayload(8, "FZK"));
        trace.put("laststatuschangetimestamp", 1_717_000_000_777L);
        assertSameAsFullDecoder(TRACE, Envelopes.envelope("trace", "FZK", "8", Envelopes.RECEIVED_AT, trace),
                "FZK|8", 1_717_000_000_777L);
        assertSameAsFullDecoder(CATALOG.get("job_info"),
                Envelopes.jobInfo(9, "CERN", "DONE", 1_717_000_000_888L, Envelopes.RECEIVED_AT),
                "CERN|9", 1_717_000_000_888L);
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("farm", "a|b\\");
        metric.put("cluster", "c\"|");
        metric.put("node", "n1");
        metric.put("parameter", "load1");
        metric.put("value", 1.5);
        metric.put("timestamp", 1_717_000_000_000L);
        assertSameAsFullDecoder(CATALOG.get("metrics"),
                Envelopes.envelope("metrics", "C|ERN", "x", Envelopes.RECEIVED_AT, metric),
                "C\\|ERN|a\\|b\\\\|c\"\\||n1|load1|1717000000000", null);
    }

    private void assertSameAsFullDecoder(DatasetDescriptor dataset, byte[] envelope, String key, Long orderedAt) {
        StagedRow fast = reader.read(dataset, envelope);
        assertThat(fast).as("fast path taken").isNotNull();
        assertThat(fast.dedupKey()).isEqualTo(key);
        assertThat(fast.orderedAtMillis()).isEqualTo(orderedAt);
        // and what validation (collector and full decoder) computes from the same envelope
        Map<String, Object> decoded = Envelopes.parse(envelope);
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) decoded.get("payload");
        var validation = ch.cern.alice.lakehouse.common.record.RecordValidator.validate(dataset, payload,
                (String) decoded.get("site"));
        assertThat(validation.isValid()).isTrue();
        assertThat(fast.dedupKey()).isEqualTo(validation.key());
        assertThat(fast.dedupKey()).isEqualTo(dataset.dedupKey((String) decoded.get("site"), validation.payload()));
        assertThat(fast.orderedAtMillis()).isEqualTo(EnvelopeDecoder.orderedAtMillis(dataset, validation.payload()));
    }

    @Test
    void leavesAnotherSiteOrAnAbsentSiteFieldToTheFullDecoder() {
        assertFullDecoderNeeded(p -> p.put("site", "GSI"));  // rejected there
        assertFullDecoderNeeded(p -> p.remove("site"));      // filled in there
        Map<String, Object> jdl = new LinkedHashMap<>();     // a dataset without site field: no check
        jdl.put("job_id", 3L);
        jdl.put("submit_timestamp", 1_717_000_000L);
        jdl.put("jdl_text", "Executable = \"x\";");
        StagedRow row = reader.read(CATALOG.get("jdl"),
                Envelopes.envelope("jdl", "GSI", "3", Envelopes.RECEIVED_AT, jdl));
        assertThat(row).isNotNull();
        assertThat(row.dedupKey()).isEqualTo("GSI|3");
    }

    @Test
    void acceptsWhitespaceBetweenTokens() {
        String envelope = "{ \"dataset\" : \"trace\",\n \"site\":\"FZK\", \"key\":\"5\", \"receivedAt\": 1717000000123,"
                + " \"payload\" : { \"job_id\" : 5, \"finaltimestamp\" : 1716999000005, \"site\" : \"FZK\" } }\n";
        StagedRow row = reader.read(TRACE, envelope.getBytes(StandardCharsets.UTF_8));

        assertThat(row).isNotNull();
        assertThat(row.dedupKey()).isEqualTo("FZK|5");
        assertThat(row.payloadJson())
                .isEqualTo("{ \"job_id\" : 5, \"finaltimestamp\" : 1716999000005, \"site\" : \"FZK\" }");
    }

    @Test
    void leavesEverythingNotCanonicalToTheFullDecoder() {
        assertFullDecoderNeeded(p -> p.put("cpuefficiency", 80));             // integer for DOUBLE
        assertFullDecoderNeeded(p -> p.put("requestedcpus", "8"));            // string for INT
        assertFullDecoderNeeded(p -> p.put("requestedcpus", 8_000_000_000L)); // out of INT range
        assertFullDecoderNeeded(p -> p.put("job_id", 1.5));                   // fraction for BIGINT
        assertFullDecoderNeeded(p -> p.put("host", 17));                      // number for STRING
        assertFullDecoderNeeded(p -> p.put("host", null));                    // nulls are dropped by validation
        assertFullDecoderNeeded(p -> p.put("colour", "blue"));                // unknown field
        assertFullDecoderNeeded(p -> p.remove("finaltimestamp"));             // required field missing
        assertFullDecoderNeeded(p -> p.put("finaltimestamp", 1_717_000_000L)); // epoch seconds for epoch ms
        assertFullDecoderNeeded(p -> p.put("host", "wné.cern.ch"));           // non-ASCII
        assertFullDecoderNeeded(p -> p.put("host", "wn\u0000.cern.ch"));      // NUL, written as \\u0000
        assertFullDecoderNeeded(p -> p.put("host", "wn\u0001.cern.ch"));      // other \\u escapes
    }

    @Test
    void leavesMalformedEnvelopesToTheFullDecoder() {
        byte[] payloadless = "{\"dataset\":\"trace\",\"site\":\"CERN\",\"key\":\"1\",\"receivedAt\":1717000000123}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(reader.read(TRACE, payloadless)).isNull();
        String valid = new String(Envelopes.trace(3, "CERN"), StandardCharsets.UTF_8);
        assertThat(reader.read(TRACE, (valid + " {}").getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(reader.read(TRACE, valid.replace("\"receivedAt\"", "\"colour\":1,\"receivedAt\"")
                .getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(reader.read(TRACE, valid.replace("\"site\":\"CERN\"", "\"site\":\" \"")
                .getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(reader.read(TRACE, valid.replace("\"job_id\":3,", "\"job_id\":3,\"job_id\":4,")
                .getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(reader.read(CATALOG.get("metrics"), valid.getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(reader.read(TRACE, valid.substring(0, valid.length() - 2).getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void theFullDecoderStillRejectsNulAndKeepsUnicode() {
        Map<String, Object> nul = Envelopes.tracePayload(11);
        nul.put("host", "wn\u0000.cern.ch");
        Decoded rejected = decoder.decode("lakehouse.trace",
                Envelopes.envelope("trace", "CERN", "11", Envelopes.RECEIVED_AT, nul));
        assertThat(rejected).isInstanceOf(Rejected.class);
        assertThat(((Rejected) rejected).reason()).contains("NUL character");

        Map<String, Object> unicode = Envelopes.tracePayload(12);
        unicode.put("host", "wn-ключ-é-\uD83D\uDE00.cern.ch");
        Decoded accepted = decoder.decode("lakehouse.trace",
                Envelopes.envelope("trace", "CERN", "12", Envelopes.RECEIVED_AT, unicode));
        assertThat(accepted).isInstanceOf(Accepted.class);
        assertThat(((Accepted) accepted).row().payloadJson()).contains("\"host\":\"wn-ключ-é-\uD83D\uDE00.cern.ch\"");
    }

    private static Map<String, Object> inDescriptorOrder(Map<String, Object> payload) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        TRACE.fields().stream().filter(f -> payload.containsKey(f.name()))
                .forEach(f -> ordered.put(f.name(), payload.get(f.name())));
        return ordered;
    }

    private void assertFullDecoderNeeded(Consumer<Map<String, Object>> change) {
        Map<String, Object> payload = Envelopes.tracePayload(1);
        change.accept(payload);
        assertThat(reader.read(TRACE, Envelopes.envelope("trace", "CERN", "1", Envelopes.RECEIVED_AT, payload)))
                .as("payload %s", payload).isNull();
    }

    /**
     * The fast path's per-value check against the one definition ({@code FieldType.coerce} of what the full decoder
     * reads): for every type and edge value, a value it takes is the very value coerce gives, and a value coerce
     * refuses it never takes.
     */
    @Test
    void takesAValueOnlyWhenFieldTypeCoerceGivesTheSameValue() throws Exception {
        String[] literals = {"0", "-1", "7", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                "9223372036854775808", "1.0", "1.5", "-0.0", "-0", "1e400", "1E3", "946684800", "946684799",
                "4102444800", "4102444801", "946684800000", "946684799999", "4102444800999", "4102444801000",
                "\"\"", "\" 17 \"", "\"17\"", "\"1.5\"", "\"true\"", "\"CERN\"", "true", "false", "null", "{}",
                "[]"};
        tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        tools.jackson.core.json.JsonFactory factory = tools.jackson.core.json.JsonFactory.builder().build();
        for (ch.cern.alice.lakehouse.common.dataset.FieldType type
                : ch.cern.alice.lakehouse.common.dataset.FieldType.values()) {
            int taken = 0;
            for (String literal : literals) {
                Object fast;
                try (tools.jackson.core.JsonParser parser = factory.createParser(
                        literal.getBytes(StandardCharsets.UTF_8))) {
                    fast = CanonicalEnvelopeReader.canonicalValue(type, parser, parser.nextToken());
                }
                Object decoded = mapper.readValue(literal, Object.class);
                Object coerced;
                try {
                    coerced = type.coerce(decoded);
                } catch (IllegalArgumentException e) {
                    assertThat(fast).as("%s %s refused by coerce", type, literal).isNull();
                    continue;
                }
                if (fast != null) {
                    taken++;
                    assertThat(fast).as("%s %s", type, literal).isEqualTo(coerced)
                            .hasSameClassAs(coerced);
                }
            }
            assertThat(taken).as("%s: some plain values take the fast path", type).isPositive();
        }
    }
}

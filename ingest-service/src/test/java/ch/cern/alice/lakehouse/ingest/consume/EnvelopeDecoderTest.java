package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Accepted;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Decoded;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Rejected;
import ch.cern.alice.lakehouse.ingest.staging.StagedRow;
import ch.cern.alice.lakehouse.ingest.support.Envelopes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeDecoderTest {

    private final EnvelopeDecoder decoder = new EnvelopeDecoder(DatasetCatalog.builtIn());

    @Test
    void acceptsAnEnvelopeAndStoresTheNormalizedPayload() {
        Map<String, Object> payload = Envelopes.tracePayload(42);
        payload.put("cpuefficiency", 80);          // integer for a DOUBLE column: normalized to 80.0
        payload.put("requestedcpus", "8");         // string for an INT column: normalized to 8
        Decoded decoded = decoder.decode("lakehouse.trace",
                Envelopes.envelope("trace", "CERN", "42", Envelopes.RECEIVED_AT, payload));

        assertThat(decoded).isInstanceOf(Accepted.class);
        StagedRow row = ((Accepted) decoded).row();
        assertThat(row.dataset()).isEqualTo("trace");
        assertThat(row.dedupKey()).isEqualTo("42");
        assertThat(row.site()).isEqualTo("CERN");
        assertThat(row.receivedAtMillis()).isEqualTo(Envelopes.RECEIVED_AT);
        assertThat(row.payloadJson()).startsWith("{\"job_id\":42,")
                .contains("\"cpuefficiency\":80.0").contains("\"requestedcpus\":8");
    }

    @Test
    void rejectsBytesThatAreNotJson() {
        assertThat(reason("lakehouse.trace", "{not json".getBytes(StandardCharsets.UTF_8))).startsWith("not JSON: ");
        assertThat(reason("lakehouse.trace", new byte[]{(byte) 0xff, (byte) 0xfe, 0x00}))
                .startsWith("not JSON: ");
        assertThat(reason("lakehouse.trace", "{\"a\":1} trailing".getBytes(StandardCharsets.UTF_8)))
                .startsWith("not JSON: ");
        assertThat(reason("lakehouse.trace", new byte[0])).startsWith("empty message");
        assertThat(reason("lakehouse.trace", null)).startsWith("empty message");
    }

    @Test
    void rejectsJsonThatIsNotAnEnvelopeListingEveryProblem() {
        assertThat(reason("lakehouse.trace", Envelopes.json(java.util.List.of(1, 2))))
                .isEqualTo("not a record envelope: expected a JSON object, got an array");
        Map<String, Object> partial = new LinkedHashMap<>();
        partial.put("dataset", "trace");
        partial.put("site", "");
        partial.put("receivedAt", "yesterday");
        partial.put("payload", "x");
        assertThat(reason("lakehouse.trace", Envelopes.json(partial))).isEqualTo("not a record envelope: "
                + "site must be a non-empty string; key is missing; receivedAt must be epoch milliseconds (a number); "
                + "payload must be a JSON object");
    }

    @Test
    void rejectsReceivedAtInTheWrongUnit() {
        byte[] seconds = Envelopes.envelope("trace", "CERN", "1", 1_717_000_000L, Envelopes.tracePayload(1));
        assertThat(reason("lakehouse.trace", seconds)).contains("receivedAt: timestamp 1717000000 is not epoch "
                + "milliseconds").contains("looks like epoch seconds");
    }

    @Test
    void rejectsUnknownDatasetsAndEnvelopesOnTheWrongTopic() {
        byte[] unknown = Envelopes.envelope("cosmic_rays", "CERN", "1", Envelopes.RECEIVED_AT, Map.of("a", 1));
        assertThat(reason("lakehouse.trace", unknown))
                .isEqualTo("unknown dataset 'cosmic_rays'; known datasets: trace, job_info, jdl, metrics");
        byte[] trace = Envelopes.trace(7, "CERN");
        assertThat(reason("lakehouse.metrics", trace))
                .isEqualTo("envelope of dataset 'trace' on topic lakehouse.metrics");
        assertThat(reason("lakehouse.unknown", trace))
                .isEqualTo("topic lakehouse.unknown belongs to no dataset of the catalog");
    }

    @Test
    void revalidatesThePayload() {
        Map<String, Object> payload = Envelopes.tracePayload(9);
        payload.remove("finaltimestamp");
        payload.put("walltime", "long");
        payload.put("colour", "blue");
        String reason = reason("lakehouse.trace", Envelopes.envelope("trace", "CERN", "9", Envelopes.RECEIVED_AT,
                payload));
        assertThat(reason).startsWith("payload fails validation: ")
                .contains("finaltimestamp: is required")
                .contains("walltime: expected an integer, got string \"long\"")
                .contains("colour: unknown field for dataset trace");
    }

    private String reason(String topic, byte[] value) {
        Decoded decoded = decoder.decode(topic, value);
        assertThat(decoded).isInstanceOf(Rejected.class);
        return ((Rejected) decoded).reason();
    }
}

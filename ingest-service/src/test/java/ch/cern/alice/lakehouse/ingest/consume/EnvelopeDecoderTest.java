package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Accepted;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Decoded;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Rejected;
import ch.cern.alice.lakehouse.ingest.staging.StagedRow;
import ch.cern.alice.lakehouse.ingest.testsupport.Envelopes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
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
        assertThat(row.dedupKey()).isEqualTo("CERN|42");
        assertThat(row.site()).isEqualTo("CERN");
        assertThat(row.receivedAtMillis()).isEqualTo(Envelopes.RECEIVED_AT);
        assertThat(row.payloadJson()).startsWith("{\"job_id\":42,")
                .contains("\"cpuefficiency\":80.0").contains("\"requestedcpus\":8");
    }

    @Test
    void theEnvelopesSiteOwnsTheRecord() {
        Map<String, Object> otherSite = Envelopes.tracePayload(43, "GSI");
        otherSite.put("cpuefficiency", 80); // not canonical: the full decoder's path
        assertThat(reason("lakehouse.trace", Envelopes.envelope("trace", "CERN", "CERN|43", Envelopes.RECEIVED_AT,
                otherSite))).isEqualTo("payload fails validation: site: must be the sending site 'CERN' (the API "
                + "key's site owns its records), got 'GSI'");
        assertThat(reason("lakehouse.trace", Envelopes.envelope("trace", "CERN", "CERN|43", Envelopes.RECEIVED_AT,
                Envelopes.tracePayload(43, "GSI")))).contains("must be the sending site 'CERN'");

        Map<String, Object> noSite = Envelopes.tracePayload(44);
        noSite.remove("site");
        StagedRow filled = accepted("lakehouse.trace",
                Envelopes.envelope("trace", "FZK", "FZK|44", Envelopes.RECEIVED_AT, noSite));
        assertThat(filled.site()).isEqualTo("FZK");
        assertThat(filled.dedupKey()).isEqualTo("FZK|44");
        assertThat(filled.payloadJson()).contains("\"site\":\"FZK\"");
    }

    @Test
    void stagesTheKeyComputedFromSiteAndPayloadWhateverTheEnvelopeSays() {
        // an old collector's key (no site), a key naming another job, a key naming another site
        for (String envelopeKey : List.of("45", "CERN|46", "GSI|45")) {
            StagedRow row = accepted("lakehouse.trace", Envelopes.envelope("trace", "CERN", envelopeKey,
                    Envelopes.RECEIVED_AT, Envelopes.tracePayload(45)));
            assertThat(row.dedupKey()).as("envelope key %s", envelopeKey).isEqualTo("CERN|45");
        }
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("farm", "a|b");
        metric.put("cluster", "c");
        metric.put("node", "n\\1");
        metric.put("parameter", "load1");
        metric.put("value", 1);
        metric.put("timestamp", 1_717_000_000_000L);
        StagedRow row = accepted("lakehouse.metrics",
                Envelopes.envelope("metrics", "CERN", "a|b|c|n\\1|load1|1717000000000", Envelopes.RECEIVED_AT, metric));
        assertThat(row.dedupKey()).isEqualTo("CERN|a\\|b|c|n\\\\1|load1|1717000000000");
        assertThat(row.orderedAtMillis()).isNull();
    }

    @Test
    void readsTheOrderFieldAndTheKafkaPosition() {
        byte[] value = Envelopes.jobInfo(47, "CERN", "RUNNING", 1_717_000_000_500L, Envelopes.RECEIVED_AT);
        StagedRow row = ((Accepted) decoder.decode(new ConsumerRecord<>("lakehouse.job_info", 2, 1234L, null,
                value))).row();
        assertThat(row.orderedAtMillis()).isEqualTo(1_717_000_000_500L);
        assertThat(row.kafkaPartition()).isEqualTo(2);
        assertThat(row.kafkaOffset()).isEqualTo(1234L);

        Map<String, Object> trace = Envelopes.tracePayload(48);
        trace.put("laststatuschangetimestamp", "1717000000600"); // a string: the full decoder's path
        StagedRow slow = accepted("lakehouse.trace",
                Envelopes.envelope("trace", "CERN", "CERN|48", Envelopes.RECEIVED_AT, trace));
        assertThat(slow.orderedAtMillis()).isEqualTo(1_717_000_000_600L);
        assertThat(slow.kafkaPartition()).isNull();
        assertThat(accepted("lakehouse.trace", Envelopes.trace(49, "CERN")).orderedAtMillis()).isNull();
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

    private StagedRow accepted(String topic, byte[] value) {
        Decoded decoded = decoder.decode(topic, value);
        assertThat(decoded).isInstanceOf(Accepted.class);
        return ((Accepted) decoded).row();
    }

    private String reason(String topic, byte[] value) {
        Decoded decoded = decoder.decode(topic, value);
        assertThat(decoded).isInstanceOf(Rejected.class);
        return ((Rejected) decoded).reason();
    }
}

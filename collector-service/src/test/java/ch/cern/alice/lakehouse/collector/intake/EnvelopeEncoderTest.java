package ch.cern.alice.lakehouse.collector.intake;

import ch.cern.alice.lakehouse.common.record.RecordEnvelope;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeEncoderTest {

    @Test
    void writesTheContractFieldNamesAndCanonicalValues() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("job_id", 3100200300L);
        payload.put("walltime", 4100);
        payload.put("cpuefficiency", 85.5);
        payload.put("host", "wn\"042");
        payload.put("ok", true);

        String first;
        String second;
        try (EnvelopeEncoder encoder = new EnvelopeEncoder()) {
            first = new String(encoder.encode(new RecordEnvelope("trace", "CERN", "3100200300", 1717000000123L,
                    payload)), StandardCharsets.UTF_8);
            second = new String(encoder.encode(new RecordEnvelope("trace", "FZK", "1", 1L, Map.of())),
                    StandardCharsets.UTF_8);
        }

        assertThat(first).isEqualTo("{\"dataset\":\"trace\",\"site\":\"CERN\",\"key\":\"3100200300\","
                + "\"receivedAt\":1717000000123,\"payload\":{\"job_id\":3100200300,\"walltime\":4100,"
                + "\"cpuefficiency\":85.5,\"host\":\"wn\\\"042\",\"ok\":true}}");
        assertThat(second).as("the shared generator and buffer start afresh for each record")
                .isEqualTo("{\"dataset\":\"trace\",\"site\":\"FZK\",\"key\":\"1\",\"receivedAt\":1,\"payload\":{}}");
    }
}

package ch.cern.alice.lakehouse.trino;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrinoProcessTest {

    @Test
    void fillsEveryPlaceholderOfATemplate() {
        String filled = TrinoProcess.fill("http-server.http.port=${TRINO_PORT}\ns3.endpoint=${LAKEHOUSE_S3_ENDPOINT}\n",
                Map.of("TRINO_PORT", "18080", "LAKEHOUSE_S3_ENDPOINT", "http://127.0.0.1:9000"));

        assertThat(filled).isEqualTo("http-server.http.port=18080\ns3.endpoint=http://127.0.0.1:9000\n");
    }

    @Test
    void aMissingValueNamesThePlaceholder() {
        assertThatThrownBy(() -> TrinoProcess.fill("s3.region=${LAKEHOUSE_S3_REGION}", Map.of()))
                .hasMessageContaining("${LAKEHOUSE_S3_REGION}");
    }
}

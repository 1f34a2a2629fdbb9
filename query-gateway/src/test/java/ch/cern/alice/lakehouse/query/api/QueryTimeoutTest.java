package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.testsupport.EndlessQuery;
import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** QUERY_TIMEOUT and the per-user limit, with small limits in their own context (same Trino). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"query.timeout=2s", "query.max-concurrent-per-user=1"})
class QueryTimeoutTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    @Test
    void aQueryOverTheTimeoutFailsAndTheUserLimitHolds() {
        GatewayClient client = new GatewayClient(port, "researcher", "r-pw");
        GatewayClient.Response submitted = client.post("/api/v1/queries", Map.of("sql", EndlessQuery.SQL));
        assertThat(submitted.status()).isEqualTo(202);

        GatewayClient.Response second = client.post("/api/v1/queries", Map.of("sql", "SELECT 1"));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().get("detail").asString()).contains("limit 1");

        JsonNode done = client.awaitDone(submitted.json().get("id").asString());
        assertThat(done.get("status").asString()).isEqualTo("FAILED");
        assertThat(done.get("error").asString()).contains("exceeded the maximum execution time limit");
        assertThat(done.get("durationMs").asLong()).isLessThan(30_000);
    }
}

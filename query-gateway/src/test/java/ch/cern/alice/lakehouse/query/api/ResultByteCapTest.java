package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QUERY_MAX_RESULT_BYTES (issue #13): 300 rows of 5 MB each stop at the byte cap like the row cap stops a long result
 * - promptly, truncated, the cap named - and the query ends in Trino. Small cap in its own context (same Trino).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "query.max-result-bytes=12MB")
class ResultByteCapTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    @Test
    void wideRowsStopAtTheByteCapPromptlyAndTheQueryEndsInTrino() throws Exception {
        GatewayClient client = new GatewayClient(port, "researcher", "r-pw");
        long started = System.nanoTime();
        GatewayClient.Response submitted = client.post("/api/v1/queries",
                Map.of("sql", "SELECT n, lpad('', 5000000, 'x') AS wide FROM UNNEST(sequence(1, 300)) AS t(n)"));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();

        JsonNode done = client.awaitQuery(id, Duration.ofSeconds(60), q -> !q.get("status").asString()
                .matches("QUEUED|RUNNING"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(done.get("status").asString()).as(done.get("error").toString()).isEqualTo("FINISHED");
        assertThat(done.get("truncated").asBoolean()).isTrue();
        // a 5,000,000-character value is estimated at about 10 MB (UTF-16): one row fits in 12 MB, two do not
        assertThat(done.get("rowCount").asInt()).isEqualTo(1);
        assertThat(done.get("rows").get(0).get(1).asString()).hasSize(5_000_000);
        assertThat(done.get("truncatedReason").asString())
                .contains("QUERY_MAX_RESULT_BYTES", Long.toString(12L * 1024 * 1024), "first 1 rows");
        assertThat(took).as("ends promptly").isLessThan(Duration.ofSeconds(60));

        String trinoQueryId = done.get("trinoQueryId").asString();
        assertThat(trinoQueryId).isNotBlank();
        String state = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection trino = TestLake.get().trinoConnection();
             PreparedStatement ps = trino.prepareStatement(
                     "SELECT state FROM system.runtime.queries WHERE query_id = ?")) {
            ps.setString(1, trinoQueryId);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    state = rs.next() ? rs.getString(1) : null;
                }
                if (state != null && !state.matches("QUEUED|PLANNING|STARTING|RUNNING|FINISHING|DISPATCHING|"
                        + "WAITING_FOR_RESOURCES")) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        assertThat(state).as("the query ended in Trino instead of producing the other 299 rows")
                .isIn("FINISHED", "FAILED");

        GatewayClient.Response small = client.post("/api/v1/queries", Map.of("sql", "SELECT 1"));
        JsonNode smallDone = client.awaitDone(small.json().get("id").asString());
        assertThat(smallDone.get("truncated").asBoolean()).isFalse();
        assertThat(smallDone.get("truncatedReason").isNull()).isTrue();
    }

    @Test
    void aSingleValueLargerThanTheCapIsRefusedWhileItIsReadAndTypedValuesComeBackAsBefore() throws Exception {
        GatewayClient client = new GatewayClient(port, "researcher", "r-pw");
        // 7,000,000 characters: more than the 6 Mi characters a 12 MB cap holds, refused before it is materialised
        GatewayClient.Response huge = client.post("/api/v1/queries",
                Map.of("sql", "SELECT 1 AS n, lpad('', 7000000, 'x') AS huge"));
        JsonNode hugeDone = client.awaitQuery(huge.json().get("id").asString(), Duration.ofSeconds(60),
                q -> !q.get("status").asString().matches("QUEUED|RUNNING"));
        assertThat(hugeDone.get("status").asString()).as(hugeDone.toString()).isEqualTo("FINISHED");
        assertThat(hugeDone.get("rowCount").asInt()).isZero();
        assertThat(hugeDone.get("truncatedReason").asString())
                .contains("QUERY_MAX_RESULT_BYTES", "column huge", "first 0 rows");

        GatewayClient.Response typed = client.post("/api/v1/queries", Map.of("sql",
                "SELECT BIGINT '7' AS b, 2.5e0 AS d, DECIMAL '12.50' AS m, true AS t, 'x' AS s, NULL AS z, "
                        + "ARRAY[1, 2] AS a, TIMESTAMP '2026-01-02 03:04:05.678' AS ts, nan() AS nn"));
        JsonNode row = client.awaitDone(typed.json().get("id").asString()).get("rows").get(0);
        assertThat(row.get(0).isIntegralNumber()).isTrue();
        assertThat(row.get(0).asLong()).isEqualTo(7);
        assertThat(row.get(1).asDouble()).isEqualTo(2.5);
        assertThat(row.get(2).decimalValue()).isEqualByComparingTo("12.50");
        assertThat(row.get(3).asBoolean()).isTrue();
        assertThat(row.get(4).asString()).isEqualTo("x");
        assertThat(row.get(5).isNull()).isTrue();
        assertThat(row.get(6).asString()).isEqualTo("[1, 2]");
        assertThat(row.get(7).asString()).isEqualTo("2026-01-02 03:04:05.678");
        assertThat(row.get(8).isNumber() || row.get(8).isString()).as(row.toString()).isTrue();
    }
}

package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.QueryGatewayApplication;
import ch.cern.alice.lakehouse.query.history.InterruptedQueries;
import ch.cern.alice.lakehouse.query.testsupport.EndlessQuery;
import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayProcess;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway process is SIGKILLed while a query runs; the next gateway process ends that query's history row as
 * FAILED with a clear error instead of leaving it RUNNING forever, and kills the orphaned Trino query.
 */
class GatewayRestartTest {

    @Test
    void aQueryRunningWhenTheGatewayDiesIsFailedAtTheNextStart() throws Exception {
        Map<String, String> properties = GatewayTestProperties.properties();
        String queryId;
        String trinoQueryId = null;
        try (GatewayProcess first = GatewayProcess.start(
                Path.of(System.getProperty("test.work.dir", "target/test-work"), "gateway-restart"), properties)) {
            GatewayClient before = new GatewayClient(first.port(), "researcher", "r-pw");
            GatewayClient.Response submitted = before.post("/api/v1/queries", Map.of("sql", EndlessQuery.SQL));
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
            queryId = submitted.json().get("id").asString();
            JsonNode running = before.awaitQuery(queryId, Duration.ofSeconds(60),
                    q -> q.get("status").asString().equals("RUNNING") && q.hasNonNull("trinoQueryId"));
            trinoQueryId = running.get("trinoQueryId").asString();
            assertThat(historyStatus(before, queryId)).isEqualTo("RUNNING");

            first.kill();
        }

        try (ConfigurableApplicationContext second = startInThisJvm(properties)) {
            int port = ((WebServerApplicationContext) second).getWebServer().getPort();
            GatewayClient after = new GatewayClient(port, "researcher", "r-pw");

            JsonNode status = after.get("/api/v1/queries/" + queryId).json();
            assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("FAILED");
            assertThat(status.get("error").asString()).isEqualTo(InterruptedQueries.ERROR);
            assertThat(status.get("finishedAt").isNull()).isFalse();
            assertThat(status.get("trinoQueryId").asString()).isEqualTo(trinoQueryId);
            assertThat(historyStatus(after, queryId)).isEqualTo("FAILED");
            assertThat(new GatewayClient(port, "other", "o-pw").get("/api/v1/queries/" + queryId).status())
                    .as("another user's query stays invisible").isEqualTo(404);

            assertThat(awaitTrinoEnd(trinoQueryId)).isEqualTo("ADMINISTRATIVELY_KILLED");
        } finally {
            killQuietly(trinoQueryId);
        }
    }

    /** The settings as command-line arguments: they override application.yml, default properties would not. */
    private static ConfigurableApplicationContext startInThisJvm(Map<String, String> lake) {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        lake.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(QueryGatewayApplication.class).run(args.toArray(String[]::new));
    }

    private static String historyStatus(GatewayClient client, String queryId) {
        for (JsonNode item : client.get("/api/v1/queries/history?size=1000").json().get("items")) {
            if (item.get("id").asString().equals(queryId)) {
                return item.get("status").asString();
            }
        }
        throw new AssertionError("query " + queryId + " not in the history");
    }

    /** @return the error code of the Trino query once it has ended */
    private static String awaitTrinoEnd(String trinoQueryId) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = TestLake.get().trinoConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT state, error_code FROM system.runtime.queries WHERE query_id = ?")) {
                ps.setString(1, trinoQueryId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    if (rs.getString(1).equals("FAILED") || rs.getString(1).equals("FINISHED")) {
                        return rs.getString(2);
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Trino query " + trinoQueryId + " still runs");
    }

    /** The endless query must not outlive the test, whatever failed above. */
    private static void killQuietly(String trinoQueryId) {
        if (trinoQueryId == null) {
            return;
        }
        try (Connection c = TestLake.get().trinoConnection(); Statement kill = c.createStatement()) {
            kill.execute("CALL system.runtime.kill_query(query_id => '" + trinoQueryId + "')");
        } catch (SQLException e) {
            // ended already
        }
    }
}

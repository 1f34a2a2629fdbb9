package ch.cern.alice.lakehouse.scenario.versioning;

import ch.cern.alice.lakehouse.scenario.stack.Await;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Statements through query-gateway's API (or the web UI's proxy of it) at a ref, waited for until they end. */
final class GatewayQueries {

    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(3);

    private final ServiceClient gateway;

    GatewayQueries(ServiceClient gateway) {
        this.gateway = gateway;
    }

    /** @return the POST's answer: 202 for an accepted statement, a problem detail for a refused one */
    ServiceClient.Response submit(String sql, String ref) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sql", sql);
        body.put("ref", ref);
        return gateway.post("/api/v1/queries", body);
    }

    /** Submits, waits for the end and asserts the query FINISHED. */
    JsonNode finished(String sql, String ref) {
        JsonNode done = ended(sql, ref);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
        return done;
    }

    /**
     * Submits (asserting 202) and returns the query's view once it ended, however it ended. query-gateway sets a
     * query's end status before its {@code error} and {@code finishedAt} (QueryExecution.finish), so this waits for
     * {@code finishedAt}, written after the error: a view with it has every field of the end.
     */
    JsonNode ended(String sql, String ref) {
        ServiceClient.Response submitted = submit(sql, ref);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        return Await.until("query " + id, QUERY_TIMEOUT, () -> gateway.get("/api/v1/queries/" + id).json(),
                q -> !Set.of("QUEUED", "RUNNING").contains(q.get("status").asString())
                        && !q.path("finishedAt").isNull() && !q.path("finishedAt").isMissingNode());
    }

    /** {@code GET /api/v1/queries/{id}/export?format=csv}. */
    ServiceClient.Response export(String queryId) {
        return gateway.get("/api/v1/queries/" + queryId + "/export?format=csv");
    }

    long count(String sql, String ref) {
        return finished(sql, ref).get("rows").get(0).get(0).asLong();
    }
}

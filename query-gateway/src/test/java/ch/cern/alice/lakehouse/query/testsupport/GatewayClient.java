package ch.cern.alice.lakehouse.query.testsupport;

import ch.cern.alice.lakehouse.process.ChildProcesses;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

/** Talks to the gateway over HTTP as one user. */
public final class GatewayClient {

    public record Response(int status, String body, byte[] bytes) {
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String auth;

    public GatewayClient(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body))));
    }

    public Response put(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** Polls the query until {@code done} holds for its status document (at most {@code timeout}). */
    public JsonNode awaitQuery(String id, Duration timeout, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get("/api/v1/queries/" + id).json();
            if (done.test(last)) {
                return last;
            }
            ChildProcesses.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("query " + id + " did not reach the expected state; last: " + last);
    }

    public JsonNode awaitDone(String id) {
        return awaitQuery(id, Duration.ofSeconds(120), q -> {
            String s = q.get("status").asString();
            return s.equals("FINISHED") || s.equals("FAILED") || s.equals("CANCELLED");
        });
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.header("Authorization", auth)
                    .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

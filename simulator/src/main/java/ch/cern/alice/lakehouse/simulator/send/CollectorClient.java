package ch.cern.alice.lakehouse.simulator.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Posts record batches to {@code POST /api/v1/datasets/{ds}/records} with the site's {@code X-Api-Key}. Honours
 * {@code Retry-After} on 429/503 (the collector's back-pressure) a few times before giving up on the batch.
 */
public final class CollectorClient {

    private static final int MAX_RETRIES = 8;

    private final URI base;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;

    public CollectorClient(URI base) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public PostResult post(String dataset, String apiKey, List<Map<String, Object>> records) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(records);
        } catch (IOException e) {
            return new PostResult(-1, 0, 0, "cannot encode batch: " + e.getMessage(), 0, null);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/datasets/" + dataset + "/records"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-Api-Key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        int retries = 0;
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (retries++ < MAX_RETRIES) {
                    sleepSeconds(1);
                    continue;
                }
                return new PostResult(-1, 0, 0, "collector unreachable at " + base + ": " + e, retries, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new PostResult(-1, 0, 0, "interrupted", retries, null);
            }
            int status = response.statusCode();
            if ((status == 429 || status == 503) && retries < MAX_RETRIES) {
                retries++;
                sleepSeconds(response.headers().firstValue("Retry-After").map(CollectorClient::parseSeconds)
                        .orElse(1L));
                continue;
            }
            return interpret(status, response.body(), records.size(), retries);
        }
    }

    private PostResult interpret(int status, String body, int sent, int retries) {
        if (status == 202 || status == 200 || status == 400) {
            try {
                JsonNode node = json.readTree(body);
                if (node != null && node.has("accepted")) {
                    JsonNode rejected = node.path("rejected");
                    String first = rejected.size() > 0 ? rejected.get(0).toString() : null;
                    return new PostResult(status, node.get("accepted").asInt(), rejected.size(), null, retries, first);
                }
            } catch (IOException e) {
                // not the documented answer: reported below
            }
        }
        String detail = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
        return new PostResult(status, 0, 0, "HTTP " + status + " for a batch of " + sent + ": " + detail,
                retries, null);
    }

    private static long parseSeconds(String retryAfter) {
        try {
            return Math.max(1, Math.min(30, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void sleepSeconds(long s) {
        try {
            Thread.sleep(s * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

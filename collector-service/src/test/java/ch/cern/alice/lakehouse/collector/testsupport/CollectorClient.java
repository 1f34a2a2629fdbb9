package ch.cern.alice.lakehouse.collector.testsupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/** Real HTTP calls against the started collector. */
public final class CollectorClient {

    public static final String JSON = "application/json";
    public static final String NDJSON = "application/x-ndjson";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public CollectorClient(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    public Response post(String dataset, String apiKey, String contentType, byte[] body, boolean gzip) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/datasets/" + dataset
                        + "/records"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip ? gzip(body) : body));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return send(request.build());
    }

    public Response post(String dataset, String apiKey, String contentType, String body) {
        return post(dataset, apiKey, contentType, body.getBytes(StandardCharsets.UTF_8), false);
    }

    public Response get(String path) {
        return get(path, null);
    }

    /** A GET with this {@code Authorization} header (none when null), e.g. {@link TestUsers#VIEWER}. */
    public Response get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    /** The collector's statistics as a viewer reads them. */
    public JsonNode stats() {
        Response response = get("/api/v1/stats", TestUsers.VIEWER);
        if (response.status() != 200) {
            throw new AssertionError("GET /api/v1/stats as a viewer: " + response.status() + " " + response.body());
        }
        return response.json();
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    public record Response(int status, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            return CollectorClient.json(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }
}

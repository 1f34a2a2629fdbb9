package ch.cern.alice.lakehouse.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal HTTP client for the collector's and the ingest service's APIs. */
public final class CollectorHttp {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String collectorUrl;

    public CollectorHttp(String collectorUrl) {
        this.collectorUrl = collectorUrl;
    }

    /** POST a JSON array body; apiKey null sends no key. */
    public HttpResponse<String> post(String dataset, String apiKey, String jsonArray) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(collectorUrl + "/api/v1/datasets/" + dataset + "/records"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonArray));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return send(request.build());
    }

    public HttpResponse<String> get(String url) {
        return get(url, null);
    }

    /** GET with this {@code Authorization} header (none when null), e.g. {@link LakehouseStack#VIEWER}. */
    public HttpResponse<String> get(String url, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

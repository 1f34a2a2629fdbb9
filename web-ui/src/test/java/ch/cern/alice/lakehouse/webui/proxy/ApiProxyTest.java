package ch.cern.alice.lakehouse.webui.proxy;

import ch.cern.alice.lakehouse.webui.WebUiTestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy against a real HTTP server standing in for the backends (the services themselves are built in parallel
 * by other engineers). Each backend URL gets its own path prefix on the stand-in, so the echoed path shows which
 * backend a request went to.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiProxyTest {

    private static final StandInBackend BACKEND = start();
    private static final int DOWN_PORT = WebUiTestUsers.closedPort();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static StandInBackend start() {
        try {
            return new StandInBackend();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lakehouse.security.users", () -> WebUiTestUsers.USERS);
        registry.add("lakehouse.webui.query-url", () -> BACKEND.url("/query-gateway"));
        registry.add("lakehouse.webui.versioning-url", () -> BACKEND.url("/versioning"));
        registry.add("lakehouse.webui.collector-url", () -> BACKEND.url("/collector"));
        registry.add("lakehouse.webui.ingest-url", () -> BACKEND.url("/ingest"));
        registry.add("lakehouse.webui.etl-url", () -> "http://127.0.0.1:" + DOWN_PORT);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void routesEachPathPrefixToItsService() throws Exception {
        assertThat(get("/api/v1/queries/q1/results?page=2&size=50").body())
                .contains("uri=/query-gateway/api/v1/queries/q1/results?page=2&size=50");
        assertThat(get("/api/v1/saved-queries").body()).contains("uri=/query-gateway/api/v1/saved-queries\n");
        assertThat(get("/api/v1/catalog").body()).contains("uri=/query-gateway/api/v1/catalog\n");
        assertThat(get("/api/v1/versions/branches/main/log").body())
                .contains("uri=/versioning/api/v1/versions/branches/main/log\n");
        assertThat(get("/api/v1/stats").body()).contains("uri=/collector/api/v1/stats\n");
        assertThat(get("/api/v1/ingest/stats").body()).contains("uri=/ingest/api/v1/ingest/stats\n");
    }

    @Test
    void keepsEncodedPathsAndQueriesAsSent() throws Exception {
        assertThat(get("/api/v1/versions/diff?from=tag%2Fpaper-2026&to=main&x=a+b").body())
                .contains("uri=/versioning/api/v1/versions/diff?from=tag%2Fpaper-2026&to=main&x=a+b\n");
        assertThat(get("/api/v1/versions/tags/run%20500").body())
                .contains("uri=/versioning/api/v1/versions/tags/run%20500\n");
    }

    @Test
    void passesAuthorizationHeadersAndBodyThrough() throws Exception {
        String json = "{\"sql\":\"SELECT 1\",\"ref\":\"main\"}";
        HttpResponse<String> answer = http.send(request("/api/v1/queries")
                .header("Authorization", "Basic cml0YTpyaXRhLXB3")
                .header("Content-Type", "application/json")
                .header("X-Trace", "t-42")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("method=POST", "authorization=Basic cml0YTpyaXRhLXB3",
                "content-length=" + json.length(), "content-type=application/json", "x-trace=t-42",
                "x-forwarded-host=127.0.0.1:" + port, "body=" + json);
        assertThat(answer.headers().firstValue("X-Backend")).hasValue("stand-in");
        assertThat(answer.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"echo.txt\"");
    }

    @Test
    void streamsLargeRequestBodiesWithoutLimit() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        HttpResponse<String> answer = http.send(request("/api/v1/saved-queries/7")
                .method("PUT", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.body()).contains("method=PUT", "body-bytes=" + body.length);
    }

    @Test
    void passesStatusCodesAndProblemDetailsThrough() throws Exception {
        HttpResponse<String> conflict = http.send(request("/api/v1/versions/conflict")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(conflict.body()).contains("\"detail\":\"dataset trace has a run in progress\"");

        HttpResponse<String> unauthorized = get("/api/v1/queries/unauthorized");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        // the SPA has its own sign-in: a Basic challenge would pop up the browser's dialog
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void passesAThrottledLoginsWaitThrough() throws Exception {
        // the collector's and ingest's stats need a login: a user or address that failed too often gets 429 there
        for (String path : new String[] {"/api/v1/stats/throttled", "/api/v1/ingest/stats/throttled"}) {
            HttpResponse<String> throttled = http.send(request(path).header("Authorization", "Basic dmljOnZpYy1wdw==")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(throttled.statusCode()).as(path).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).as(path).hasValue("150");
            assertThat(throttled.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
            assertThat(throttled.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(throttled.body()).contains("\"retryAfterSeconds\":150", "try again in 150 s");
        }
    }

    @Test
    void streamsLargeResponsesAsTheyArrive() throws Exception {
        int mb = 24;
        HttpResponse<InputStream> answer = http.send(request("/api/v1/queries/q1/stream?mb=" + mb).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/csv");
        try (InputStream in = answer.body()) {
            // the backend holds back everything after its first chunk until we have read that chunk through the proxy
            byte[] first = in.readNBytes(StandInBackend.CHUNK);
            assertThat(first).hasSize(StandInBackend.CHUNK);
            BACKEND.releaseStream();
            long total = first.length;
            long mismatches = 0;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != (byte) ('a' + (int) ((total + i) % 26))) {
                        mismatches++;
                    }
                }
                total += n;
            }
            assertThat(total).isEqualTo((long) mb * 1024 * 1024);
            assertThat(mismatches).isZero();
        }
    }

    @Test
    void aBackendThatIsDownGivesA502ProblemNamingIt() throws Exception {
        HttpResponse<String> answer = get("/api/v1/etl/runs?page=0");
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains(
                "\"detail\":\"etl-service is not reachable at http://127.0.0.1:" + DOWN_PORT + " (connection refused)\"",
                "\"status\":502", "\"instance\":\"/api/v1/etl/runs\"");
    }

    @Test
    void unknownApiPathsGetA404Problem() throws Exception {
        HttpResponse<String> answer = get("/api/v1/nothing-here");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("no service answers /api/v1/nothing-here");
    }

    @Test
    void doesNotLetPathsEscapeTheirPrefix() throws Exception {
        HttpResponse<String> answer = get("/api/v1/stats/%2e%2e/%2e%2e/admin");
        assertThat(answer.statusCode()).isBetween(400, 404);
        assertThat(answer.body()).doesNotContain("uri=");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }
}

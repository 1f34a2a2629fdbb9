package ch.cern.alice.lakehouse.webui.security;

import ch.cern.alice.lakehouse.webui.AbstractBackendsDownTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class MeEndpointTest extends AbstractBackendsDownTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersNameAndHighestRoleForEachUser() throws Exception {
        assertThat(get("/api/me", "alice", "alice-pw").body())
                .contains("\"name\":\"alice\"", "\"role\":\"ADMIN\"");
        assertThat(get("/api/me", "rita", "rita-pw").body())
                .contains("\"name\":\"rita\"", "\"role\":\"RESEARCHER\"", "\"roles\":[\"VIEWER\",\"RESEARCHER\"]");
        assertThat(get("/api/me", "vic", "vic-pw").body())
                .contains("\"name\":\"vic\"", "\"role\":\"VIEWER\"", "\"roles\":[\"VIEWER\"]");
    }

    @Test
    void wrongOrMissingCredentialsGet401WithoutBrowserChallenge() throws Exception {
        HttpResponse<String> wrong = get("/api/me", "alice", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("/api/me")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isEmpty();

        assertThat(get("/api/me", "mallory", "alice-pw").statusCode()).isEqualTo(401);
    }

    @Test
    void datasetSchemaNeedsSignInAndDescribesEveryDataset() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("/api/datasets")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> schema = get("/api/datasets", "vic", "vic-pw");
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(schema.body())
                .contains("\"catalog\":\"delta\"", "\"source\":\"dataset-descriptors\"", "\"name\":\"lakehouse\"")
                .contains("\"name\":\"trace\"", "\"name\":\"job_info\"", "\"name\":\"jdl\"", "\"name\":\"metrics\"")
                .contains("{\"name\":\"job_id\",\"type\":\"bigint\",\"partitionKey\":false")
                .contains("{\"name\":\"finaltimestamp\",\"type\":\"timestamp(3) with time zone\"")
                .contains("{\"name\":\"year\",\"type\":\"integer\",\"partitionKey\":true")
                .contains("{\"name\":\"_site\",\"type\":\"varchar\"");
    }

    @Test
    void theAppItselfIsPublicAndLockedDownByContentSecurityPolicy() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        HttpResponse<String> index = http.send(HttpRequest.newBuilder(uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        // the SPA is only on the classpath when the front end was built (not with -Dskip.npm)
        if (index.statusCode() == 200) {
            assertThat(index.body()).contains("<div id=\"app\">");
            assertThat(index.headers().firstValue("Content-Security-Policy")).hasValue(
                    WebUiSecurityConfiguration.CONTENT_SECURITY_POLICY);
        } else {
            assertThat(index.statusCode()).isNotEqualTo(401);
        }
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}

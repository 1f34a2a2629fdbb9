package ch.cern.alice.lakehouse.support.api;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Every service gets its OpenAPI description and Swagger UI from service-support, readable without a user. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = ExampleService.class,
        properties = {"lakehouse.security.users=ada:{noop}ada-pw:researcher", "spring.application.name=example-service",
                "server.address=127.0.0.1"})
class ApiDocsTest {

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @Test
    void theOpenApiDescriptionListsTheServiceEndpointsWithoutLogin() throws Exception {
        HttpResponse<String> docs = get("/v3/api-docs");

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("\"openapi\"").contains("/api/v1/examples").contains("example-service")
                .contains("basicAuth");
    }

    @Test
    void swaggerUiIsServedButTheApiItselfStillNeedsAUser() throws Exception {
        assertThat(get("/swagger-ui.html").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/examples").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package ch.cern.alice.lakehouse.support.api;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The error answers every service inherits: one problem-detail shape, nothing of an unexpected error leaked. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = ApiExceptionHandlerBaseTest.ErrorsApp.class,
        properties = {"lakehouse.security.users=rita:{noop}rita-pw:researcher", "server.address=127.0.0.1"})
class ApiExceptionHandlerBaseTest {

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aServiceOwnExceptionIsAnsweredByItsOwnHandler() throws Exception {
        HttpResponse<String> missing = send("GET", "/api/v1/things/missing", null, true);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertProblem(missing, 404, "Not Found", "no thing 'missing'");
    }

    @Test
    void anUnreadableBodyIs400SayingWhy() throws Exception {
        HttpResponse<String> bad = send("POST", "/api/v1/things", "{\"name\": ", true);

        assertThat(bad.statusCode()).isEqualTo(400);
        assertProblem(bad, 400, "Bad Request", "request body is not valid JSON for this endpoint");
        assertThat(send("POST", "/api/v1/things", "{\"name\":\"a\"}", true).body()).isEqualTo("a");
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> wrong = send("DELETE", "/api/v1/things/x", null, true);

        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("GET");
        assertProblem(wrong, 405, "Method Not Allowed", "DELETE");
    }

    @Test
    void aRoleThatDoesNotAllowItIs403ButNoUserIsStill401() throws Exception {
        HttpResponse<String> denied = send("GET", "/api/v1/admin", null, true);

        assertThat(denied.statusCode()).isEqualTo(403);
        assertProblem(denied, 403, "Forbidden", "things are for admins");
        assertThat(send("GET", "/api/v1/admin", null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void anUnexpectedErrorIs500WithAReferenceAndNothingOfItsMessage() throws Exception {
        HttpResponse<String> boom = send("GET", "/api/v1/boom", null, true);

        assertThat(boom.statusCode()).isEqualTo(500);
        assertProblem(boom, 500, "Internal Server Error", "reference");
        assertThat(boom.body()).doesNotContain("jdbc:postgresql").doesNotContain("IllegalStateException")
                .contains("\"reference\"");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String title, String detail) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + status).contains("\"title\":\"" + title + "\"")
                .contains("\"detail\":\"").contains(detail).contains("\"instance\":\"/api/v1/");
    }

    private HttpResponse<String> send(String method, String path, String json, boolean signedIn) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (signedIn) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("rita:rita-pw".getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ThingsController.class, ThingsErrors.class})
    static class ErrorsApp {
    }

    record Thing(String name) {
    }

    static final class NoSuchThingException extends RuntimeException {
        NoSuchThingException(String name) {
            super("no thing '" + name + "'");
        }
    }

    @RestController
    static class ThingsController {

        @GetMapping("/api/v1/things/{name}")
        String thing(@org.springframework.web.bind.annotation.PathVariable String name) {
            throw new NoSuchThingException(name);
        }

        @PostMapping("/api/v1/things")
        String create(@RequestBody Thing thing) {
            return thing.name();
        }

        @GetMapping("/api/v1/admin")
        @PreAuthorize("hasRole('ADMIN')")
        String admin() {
            return "secret";
        }

        @GetMapping("/api/v1/boom")
        String boom() {
            throw new IllegalStateException("jdbc:postgresql://db:5432/lake?password=hunter2 refused");
        }
    }

    @RestControllerAdvice
    static class ThingsErrors extends ApiExceptionHandlerBase {

        @ExceptionHandler(NoSuchThingException.class)
        ProblemDetail noSuchThing(NoSuchThingException e) {
            return problem(HttpStatus.NOT_FOUND, e.getMessage());
        }

        @Override
        protected String accessDeniedDetail() {
            return "things are for admins";
        }
    }
}

package ch.cern.alice.lakehouse.query.versioning;

import ch.cern.alice.lakehouse.query.config.VersioningProperties;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * versioning-service's API as the gateway uses it: refs are resolved with the gateway's service account; the branch
 * access check and commits of branch work run with the end user's own {@code Authorization} header, so that
 * versioning-service decides who may move the branch and records the user as the commit's author.
 */
@Component
public class VersioningClient {

    public record RefInfo(String ref, String kind, String commitId, Map<String, Long> tables) {

        public boolean isBranch() {
            return "branch".equals(kind);
        }
    }

    public record BranchAccess(String branch, String head, String createdBy, String schema, boolean mayCommit,
                               String reason) {
    }

    /** {@code tables} may map a table to null: the commit removes it from the branch. */
    public record CommitRequest(String branch, String message, Map<String, Long> tables,
                                Map<String, Object> properties, String expectedHead) {
    }

    public record CommitInfo(String id, String shortId, String author, Map<String, Long> tables) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient serviceClient;
    private final RestClient userClient;
    private final boolean configured;

    public VersioningClient(VersioningProperties versioning) {
        this.configured = versioning.configured();
        String url = configured ? versioning.url() : "http://versioning-service.not-configured";
        RestClient.Builder service = RestClient.builder().baseUrl(url);
        if (versioning.user() != null && !versioning.user().isBlank()) {
            service.defaultHeaders(h -> h.setBasicAuth(versioning.user(), versioning.password()));
        }
        this.serviceClient = service.build();
        this.userClient = RestClient.builder().baseUrl(url).build();
    }

    public boolean configured() {
        return configured;
    }

    /** {@code GET /api/v1/versions/refs/{ref}}; an unknown ref is the client's mistake (400). */
    public RefInfo ref(String ref) {
        requireConfigured();
        try {
            RefInfo info = serviceClient.get()
                    .uri("/api/v1/versions/refs/" + segment(ref))
                    .retrieve()
                    .onStatus(HttpStatusCode::is4xxClientError, (req, res) -> {
                        throw new InvalidQueryException("unknown ref '" + ref + "' (versioning-service answered "
                                + res.getStatusCode().value() + ")");
                    })
                    .body(RefInfo.class);
            if (info == null || info.tables() == null) {
                throw new InvalidQueryException("ref '" + ref + "' has no tables");
            }
            return info;
        } catch (RestClientException e) {
            throw new IllegalStateException("versioning-service unreachable while resolving ref '" + ref + "'", e);
        }
    }

    /** {@code GET /api/v1/versions/branches/{name}/access} as the end user. */
    public BranchAccess access(String branch, String authorization) {
        requireConfigured();
        try {
            return userClient.get()
                    .uri("/api/v1/versions/branches/" + segment(branch) + "/access")
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .retrieve()
                    .onStatus(HttpStatusCode::isError, (req, res) -> {
                        throw new VersioningException(res.getStatusCode().value(), detail(res.getBody()));
                    })
                    .body(BranchAccess.class);
        } catch (RestClientException e) {
            throw new IllegalStateException("versioning-service unreachable while checking branch '" + branch + "'",
                    e);
        }
    }

    /** {@code POST /api/v1/versions/commits} as the end user. */
    public CommitInfo commit(CommitRequest request, String authorization) {
        requireConfigured();
        try {
            return userClient.post()
                    .uri("/api/v1/versions/commits")
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(JSON.writeValueAsString(request))
                    .retrieve()
                    .onStatus(HttpStatusCode::isError, (req, res) -> {
                        throw new VersioningException(res.getStatusCode().value(), detail(res.getBody()));
                    })
                    .body(CommitInfo.class);
        } catch (RestClientException e) {
            throw new VersioningException(0, "versioning-service unreachable: " + e.getMessage());
        }
    }

    private void requireConfigured() {
        if (!configured) {
            throw new IllegalStateException("versioning-service is not configured (LAKEHOUSE_VERSIONING_URL)");
        }
    }

    private static String segment(String text) {
        return UriUtils.encodePathSegment(text, StandardCharsets.UTF_8);
    }

    /** The problem detail's {@code detail}, or the body as text. */
    private static String detail(InputStream body) throws IOException {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        try {
            JsonNode problem = JSON.readTree(text);
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asString();
            }
        } catch (RuntimeException notJson) {
            // fall through: show the body as it is
        }
        return text;
    }
}

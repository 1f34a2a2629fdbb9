package ch.cern.alice.lakehouse.query.ref;

import ch.cern.alice.lakehouse.query.config.VersioningProperties;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Branches, tags and commits: asks versioning-service {@code GET /api/v1/versions/refs/{ref}}. */
public class HttpRefResolver implements RefResolver {

    private final RestClient client;

    public HttpRefResolver(VersioningProperties versioning) {
        RestClient.Builder builder = RestClient.builder().baseUrl(versioning.url());
        if (versioning.user() != null && !versioning.user().isBlank()) {
            builder.defaultHeaders(h -> h.setBasicAuth(versioning.user(), versioning.password()));
        }
        this.client = builder.build();
    }

    record RefResponse(String ref, String commitId, Map<String, Long> tables) {
    }

    @Override
    public Optional<TableVersions> resolve(String ref) {
        try {
            RefResponse response = client.get()
                    .uri("/api/v1/versions/refs/" + UriUtils.encodePathSegment(ref, StandardCharsets.UTF_8))
                    .retrieve()
                    .onStatus(HttpStatusCode::is4xxClientError, (req, res) -> {
                        throw new InvalidQueryException("unknown ref '" + ref + "' (versioning-service answered "
                                + res.getStatusCode().value() + ")");
                    })
                    .body(RefResponse.class);
            if (response == null || response.tables() == null) {
                throw new InvalidQueryException("ref '" + ref + "' has no tables");
            }
            return Optional.of(new TableVersions.PerTable(response.tables()));
        } catch (RestClientException e) {
            throw new IllegalStateException("versioning-service unreachable while resolving ref '" + ref + "'", e);
        }
    }
}

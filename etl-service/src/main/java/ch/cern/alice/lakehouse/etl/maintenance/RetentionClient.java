package ch.cern.alice.lakehouse.etl.maintenance;

import ch.cern.alice.lakehouse.etl.EtlProperties;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks versioning-service which files a VACUUM must keep: {@code GET /api/v1/versions/retention/horizon?table=}.
 * Never guesses: without an answer there is no VACUUM.
 */
@Component
public class RetentionClient {

    /**
     * @param minimumRetainHours a retention above this keeps every version a tag or branch head pins
     * @param oldestPinnedVersion null when nothing pins the table
     * @param unknownAge pinned versions whose age versioning-service cannot tell (their successor's commit is gone)
     */
    public record Horizon(String table, double minimumRetainHours, Long oldestPinnedVersion, String keepRemovedSince,
                          List<Long> unknownAge) {
    }

    private final EtlProperties.Callbacks callbacks;
    private final RestClient http;

    public RetentionClient(EtlProperties properties) {
        this.callbacks = properties.callbacks();
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(Duration.ofSeconds(3));
        factory.setReadTimeout(Duration.ofSeconds(30));
        RestClient.Builder b = RestClient.builder().requestFactory(factory);
        if (callbacks.user() != null && !callbacks.user().isBlank()) {
            b = b.defaultHeaders(h -> h.setBasicAuth(callbacks.user(), callbacks.password()));
        }
        this.http = b.build();
    }

    /** @throws IllegalStateException when versioning-service is not configured or did not answer */
    public Horizon horizon(String table) {
        String base = callbacks.versioningUrl();
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("VACUUM needs versioning-service's retention horizon to know which "
                    + "versions tags and branches pin: LAKEHOUSE_VERSIONING_URL is unset");
        }
        JsonNode answer;
        try {
            answer = http.get().uri(base.replaceAll("/+$", "") + "/api/v1/versions/retention/horizon?table={t}", table)
                    .retrieve().body(JsonNode.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("versioning-service's retention horizon of " + table
                    + " could not be read: " + e.getMessage(), e);
        }
        if (answer == null || !answer.isArray() || answer.isEmpty()) {
            throw new IllegalStateException("versioning-service gave no retention horizon for " + table);
        }
        JsonNode h = answer.get(0);
        if (!table.equals(h.path("table").asString())) {
            throw new IllegalStateException("versioning-service answered for table " + h.path("table")
                    + " instead of " + table);
        }
        List<Long> unknown = new ArrayList<>();
        h.path("unknownAge").forEach(v -> unknown.add(v.asLong()));
        JsonNode oldest = h.path("oldestPinnedVersion");
        JsonNode since = h.path("keepRemovedSince");
        return new Horizon(table, h.path("minimumRetainHours").asDouble(),
                oldest.isNumber() ? oldest.asLong() : null, since.isString() ? since.asString() : null,
                List.copyOf(unknown));
    }
}

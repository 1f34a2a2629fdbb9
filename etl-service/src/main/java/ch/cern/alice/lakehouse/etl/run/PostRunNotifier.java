package ch.cern.alice.lakehouse.etl.run;

import ch.cern.alice.lakehouse.etl.EtlProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After a successful run: asks query-gateway to refresh the Trino catalog and versioning-service to commit the new
 * Delta versions on main (the dataset table's and its summary tables', so a ref reads summaries of its own data).
 * Best effort with a few retries; the outcome is stored on the run, never fails it.
 */
@Component
public class PostRunNotifier {

    private static final Logger log = LoggerFactory.getLogger(PostRunNotifier.class);
    private static final int ATTEMPTS = 3;

    private final EtlProperties.Callbacks callbacks;
    private final RestClient http;

    public PostRunNotifier(EtlProperties properties) {
        this.callbacks = properties.callbacks();
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(Duration.ofSeconds(3));
        factory.setReadTimeout(Duration.ofSeconds(60));
        RestClient.Builder b = RestClient.builder().requestFactory(factory);
        if (callbacks.user() != null && !callbacks.user().isBlank()) {
            b = b.defaultHeaders(h -> h.setBasicAuth(callbacks.user(), callbacks.password()));
        }
        this.http = b.build();
    }

    /** {@link #afterSuccess(long, String, Long, Map)} of the dataset table alone (e.g. after an OPTIMIZE). */
    public String afterSuccess(long runId, String dataset, Long deltaVersion) {
        return afterSuccess(runId, dataset, deltaVersion, Map.of());
    }

    /**
     * @param tables the run's tables -> Delta versions (dataset and summary tables), all pinned by the commit; empty:
     *               the dataset table alone
     * @return e.g. "catalog-refresh: ok; versioning: skipped (LAKEHOUSE_VERSIONING_URL unset)"
     */
    public String afterSuccess(long runId, String dataset, Long deltaVersion, Map<String, Long> tables) {
        List<String> outcomes = new ArrayList<>();
        outcomes.add("catalog-refresh: " + call(callbacks.queryUrl(), "LAKEHOUSE_QUERY_URL",
                "/api/v1/catalog/refresh", Map.of()));
        if (deltaVersion == null) {
            outcomes.add("versioning: skipped (no new Delta version)");
        } else {
            outcomes.add("versioning: " + call(callbacks.versioningUrl(), "LAKEHOUSE_VERSIONING_URL",
                    "/api/v1/versions/internal/etl-commit",
                    Map.of("runId", runId, "tables", committed(dataset, deltaVersion, tables))));
        }
        return String.join("; ", outcomes);
    }

    /** The dataset table at {@code deltaVersion}, then the run's other (summary) tables. */
    static Map<String, Long> committed(String dataset, long deltaVersion, Map<String, Long> tables) {
        Map<String, Long> committed = new LinkedHashMap<>();
        committed.put(dataset, deltaVersion);
        if (tables != null) {
            tables.forEach(committed::putIfAbsent);
        }
        return committed;
    }

    private String call(String baseUrl, String variable, String path, Object body) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return "skipped (" + variable + " unset)";
        }
        String url = baseUrl.replaceAll("/+$", "") + path;
        String last = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                http.post().uri(url).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toBodilessEntity();
                return "ok";
            } catch (RuntimeException e) {
                last = e.getMessage();
                log.warn("POST {} failed (attempt {}/{}): {}", url, attempt, ATTEMPTS, last);
                sleep(attempt * 1000L);
            }
        }
        return "failed after " + ATTEMPTS + " attempts: " + last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

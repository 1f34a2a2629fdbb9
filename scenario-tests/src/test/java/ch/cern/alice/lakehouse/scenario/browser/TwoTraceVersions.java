package ch.cern.alice.lakehouse.scenario.browser;

import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Two versions of the trace table, made the way operators make them: rows staged, an ETL run through etl-service
 * (Spark writes Delta, main gets an auto-commit), a tag on that commit, then more rows and a second run.
 */
record TwoTraceVersions(String tag, String firstCommitId, int rowsAddedAfterTag) {

    private static final Duration ETL_TIMEOUT = Duration.ofMinutes(6);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static TwoTraceVersions prepare(LakeStack stack, int firstRows, int laterRows) throws Exception {
        stack.stageTrace(firstRows);
        runEtl(stack, "trace");
        String tag = "browser-before-" + Long.toString(System.currentTimeMillis(), 36);
        String firstCommit = call(stack.versioningUrl() + "/api/v1/versions/tags", "POST",
                Map.of("name", tag, "ref", "main", "message", "trace before the second batch"), DemoUser.RESEARCHER)
                .path("commitId").asString("");
        stack.stageTrace(laterRows, LakeStack.JUNE_2024_MILLIS + 86_400_000L);
        runEtl(stack, "trace");
        return new TwoTraceVersions(tag, firstCommit, laterRows);
    }

    /** The Delta version of trace that a ref (branch, tag, commit id) points at, as versioning-service resolves it. */
    static long traceVersionAt(LakeStack stack, String ref) throws Exception {
        return call(stack.versioningUrl() + "/api/v1/versions/refs/" + ref, "GET", null, DemoUser.VIEWER)
                .path("tables").path("trace").asLong(-1);
    }

    /** Starts a run for the dataset and waits until it succeeded and main points at its Delta version. */
    private static void runEtl(LakeStack stack, String dataset) throws Exception {
        JsonNode started = call(stack.etlUrl() + "/api/v1/etl/runs", "POST", Map.of("dataset", dataset), DemoUser.ADMIN);
        long id = started.get(0).path("id").asLong(-1);
        Instant deadline = Instant.now().plus(ETL_TIMEOUT);
        JsonNode run;
        do {
            Thread.sleep(1000);
            run = call(stack.etlUrl() + "/api/v1/etl/runs/" + id, "GET", null, DemoUser.ADMIN);
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("ETL run " + id + " did not finish in " + ETL_TIMEOUT + ": " + run);
            }
        } while (run.path("status").asString("").matches("QUEUED|RUNNING"));
        if (!run.path("status").asString("").equals("SUCCEEDED")) {
            throw new IllegalStateException("ETL run " + id + " did not succeed: " + run);
        }
        long written = run.path("deltaVersion").asLong(-1);
        while (traceVersionAt(stack, "main") != written) { // the run tells versioning-service after it finished
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("main never pointed at trace version " + written + ": " + run);
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode call(String url, String method, Object body, DemoUser user) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", user.basicAuth())
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}

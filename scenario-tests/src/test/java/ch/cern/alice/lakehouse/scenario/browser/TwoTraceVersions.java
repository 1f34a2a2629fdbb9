package ch.cern.alice.lakehouse.scenario.browser;

import ch.cern.alice.lakehouse.scenario.stack.Await;
import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

/**
 * Two versions of the trace table, made the way operators make them: rows staged, an ETL run through etl-service
 * (Spark writes Delta, main gets an auto-commit), a tag on that commit, then more rows and a second run. The rows
 * have the grid's structure (simulator's job model, {@link LakeStack#stageGridTrace}).
 */
record TwoTraceVersions(String tag, String firstCommitId, int rowsAddedAfterTag) {

    /** Spark in local mode on a loaded 2-core machine: minutes, not seconds. */
    private static final Duration ETL_TIMEOUT = Duration.ofMinutes(8);

    static TwoTraceVersions prepare(LakeStack stack, int firstRows, int laterRows) {
        ServiceClient etl = new ServiceClient(stack.etlUrl(), DemoUser.ADMIN);
        ServiceClient versioning = new ServiceClient(stack.versioningUrl(), DemoUser.RESEARCHER);
        // the grid's structure (site tiers, activities' efficiencies, misbehaving sites): the README's screenshots
        stack.stageGridTrace(firstRows, LakeStack.JUNE_2024_MILLIS, 18);
        runEtl(stack, etl);
        String tag = "browser-before-" + Long.toString(System.currentTimeMillis(), 36);
        ServiceClient.Response tagged = versioning.post("/api/v1/versions/tags",
                Map.of("name", tag, "ref", "main", "message", "trace before the second batch"));
        String firstCommit = ok(tagged).path("commitId").asString();
        stack.stageGridTrace(laterRows, LakeStack.JUNE_2024_MILLIS + Duration.ofDays(1).toMillis(), 19);
        runEtl(stack, etl);
        awaitLiveCatalog(stack);
        return new TwoTraceVersions(tag, firstCommit, laterRows);
    }

    /** The Delta version of trace that a ref (branch, tag, commit id) points at, as versioning-service resolves it. */
    static long traceVersionAt(LakeStack stack, String ref) {
        ServiceClient versioning = new ServiceClient(stack.versioningUrl(), DemoUser.VIEWER);
        return ok(versioning.get("/api/v1/versions/refs/" + ref)).path("tables").path("trace").asLong(-1);
    }

    /** Starts a trace run and waits until it succeeded and main points at the Delta version it wrote. */
    private static void runEtl(LakeStack stack, ServiceClient etl) {
        long id = ok(etl.post("/api/v1/etl/runs", Map.of("dataset", "trace"))).get(0).path("id").asLong();
        JsonNode run = Await.until("ETL run " + id, ETL_TIMEOUT, () -> ok(etl.get("/api/v1/etl/runs/" + id)),
                r -> !r.path("status").asString("").matches("QUEUED|RUNNING"));
        if (!run.path("status").asString("").equals("SUCCEEDED")) {
            throw new IllegalStateException("ETL run " + id + " did not succeed: " + run);
        }
        long written = run.path("deltaVersion").asLong(-1);
        Await.until("main to point at trace version " + written, Duration.ofMinutes(1),
                () -> traceVersionAt(stack, "main"), version -> version == written);
    }

    /**
     * query-gateway answers the catalog within 10 s or fails; Trino's first metadata queries can take longer on a
     * loaded machine. Once it answered, the pages get the live catalog instead of the dataset descriptors.
     */
    private static void awaitLiveCatalog(LakeStack stack) {
        ServiceClient gateway = new ServiceClient(stack.queryUrl(), DemoUser.RESEARCHER);
        Await.until("the live catalog with trace", Duration.ofMinutes(2), () -> gateway.get("/api/v1/catalog"),
                r -> r.status() == 200 && r.body().contains("\"trace\""));
    }

    private static JsonNode ok(ServiceClient.Response response) {
        if (response.status() >= 300) {
            throw new IllegalStateException(response.toString());
        }
        return response.json();
    }
}

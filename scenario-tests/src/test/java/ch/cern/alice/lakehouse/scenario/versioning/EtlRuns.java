package ch.cern.alice.lakehouse.scenario.versioning;

import ch.cern.alice.lakehouse.scenario.stack.Await;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the ETL of one dataset through etl-service's API and waits until main records it (as an admin would). */
final class EtlRuns {

    /** Spark in local mode on a loaded 2-core machine: minutes, not seconds. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final ServiceClient etl;
    private final ServiceClient versioning;

    EtlRuns(ServiceClient etl, ServiceClient versioning) {
        this.etl = etl;
        this.versioning = versioning;
    }

    /**
     * @return the run, asserted SUCCEEDED. Its end status is the run's last write (docs/etl.md step 6): by then main's
     * head is already this run's commit and the notifications are final, so nothing more is awaited.
     */
    JsonNode runToMain(String dataset) {
        ServiceClient.Response accepted = etl.post("/api/v1/etl/runs", Map.of("dataset", dataset));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        long runId = accepted.json().get(0).get("id").asLong();
        JsonNode run = Await.until("ETL run " + runId, RUN_TIMEOUT,
                () -> etl.get("/api/v1/etl/runs/" + runId).json(),
                r -> FINISHED.contains(r.get("status").asString()));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode head = mainHead();
        assertThat(head.path("properties").path("etlRunId").asString(null))
                .as("main's head when run %s showed SUCCEEDED: %s", run, head).isEqualTo(String.valueOf(runId));
        return run;
    }

    JsonNode mainHead() {
        String head = versioning.get("/api/v1/versions/refs/main").json().get("commitId").asString();
        return versioning.get("/api/v1/versions/commits/" + head).json();
    }
}

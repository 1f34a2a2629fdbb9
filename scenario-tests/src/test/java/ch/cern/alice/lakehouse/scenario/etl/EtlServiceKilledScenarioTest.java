package ch.cern.alice.lakehouse.scenario.etl;

import ch.cern.alice.lakehouse.scenario.stack.Await;
import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of etl-service while its Spark application works on a run (issue #17), and of both etl-service and the
 * Spark application at once (issue #14): the application does not outlive the service, the restarted service fails
 * the run, and the next run migrates every staged row exactly once - no second writer, nothing lost or doubled.
 */
@ExtendWith(LakeStackExtension.class)
class EtlServiceKilledScenarioTest {

    private static final int ROWS = 3_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    /** Phases in which the Spark job reads staging or writes Delta (etl-jobs' EtlJob progress). */
    private static final Set<String> WORKING_PHASES =
            Set.of("reading", "converted", "writing rejects", "merging", "aggregating");

    @Test
    void aKilledServiceLeavesNoWriterBehindAndTheRangeIsMigratedOnceAfterTheRestart(LakeStack stack) throws Exception {
        killMidRunAndRerun(stack, false);
    }

    @Test
    void killingServiceAndSparkApplicationTogetherLosesAndDoublesNothing(LakeStack stack) throws Exception {
        killMidRunAndRerun(stack, true);
    }

    private void killMidRunAndRerun(LakeStack stack, boolean killSparkToo) throws Exception {
        LakeStack.StagedBatch batch = stack.stageTrace(ROWS);
        ServiceClient etl = new ServiceClient(stack.etlUrl(), DemoUser.ADMIN);
        ServiceClient.Response accepted = etl.post("/api/v1/etl/runs", Map.of("dataset", "trace"));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        long runId = accepted.json().get(0).get("id").asLong();

        long jobPid = Await.until("Spark job of run " + runId + " working", RUN_TIMEOUT,
                () -> workingJobPid(stack, runId), Optional::isPresent).orElseThrow();
        ProcessHandle job = ProcessHandle.of(jobPid).orElseThrow();

        if (killSparkToo) {
            job.destroyForcibly(); // SIGKILL, the service's kill -9 right after
        }
        stack.killAndRestartEtlService();
        job.onExit().get(30, TimeUnit.SECONDS); // fails the test with a TimeoutException if the job lived on
        assertThat(job.isAlive()).isFalse();

        ServiceClient restarted = new ServiceClient(stack.etlUrl(), DemoUser.ADMIN);
        JsonNode killed = restarted.get("/api/v1/etl/runs/" + runId).json();
        assertThat(killed.get("status").asString()).as(killed.toString()).isEqualTo("FAILED");
        // both killed: the service may have seen its Spark application die (and queued a retry) just before it died
        assertThat(killed.get("error").asString()).containsAnyOf("service restarted", "Spark application");
        Await.until("no run of trace left active", RUN_TIMEOUT,
                () -> restarted.get("/api/v1/etl/runs?dataset=trace&size=5").json().get("runs"),
                runs -> java.util.stream.StreamSupport.stream(runs.spliterator(), false)
                        .noneMatch(r -> r.get("status").asString().matches("QUEUED|RUNNING")));

        JsonNode rerun = runToEnd(restarted);
        assertThat(rerun.get("status").asString()).as(rerun.toString()).isEqualTo("SUCCEEDED");
        long last = batch.firstJobId() + batch.count() - 1;
        try (Connection trino = stack.trinoConnection();
             PreparedStatement count = trino.prepareStatement("SELECT count(*), count(DISTINCT job_id) "
                     + "FROM delta.lakehouse.trace WHERE job_id BETWEEN ? AND ?")) {
            count.setLong(1, batch.firstJobId());
            count.setLong(2, last);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows of the batch in Delta").isEqualTo(ROWS);
                assertThat(rs.getLong(2)).as("distinct job ids").isEqualTo(ROWS);
            }
        }
        assertThat(stack.stagedRows("trace")).isZero();
    }

    /** The pid of the run's Spark job once it reads or writes (phase past launching), if so. */
    private static Optional<Long> workingJobPid(LakeStack stack, long runId) {
        try (Connection db = stack.postgresConnection(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT spark_pid, phase, status FROM etl.runs WHERE id = " + runId)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String status = rs.getString(3);
            assertThat(status).as("run %d ended before it could be interrupted", runId).isIn("QUEUED", "RUNNING");
            long pid = rs.getLong(1);
            boolean working = !rs.wasNull() && WORKING_PHASES.contains(rs.getString(2));
            return working ? Optional.of(pid) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode runToEnd(ServiceClient etl) {
        ServiceClient.Response accepted = etl.post("/api/v1/etl/runs", Map.of("dataset", "trace"));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        long runId = accepted.json().get(0).get("id").asLong();
        return Await.until("ETL run " + runId, RUN_TIMEOUT, () -> etl.get("/api/v1/etl/runs/" + runId).json(),
                r -> FINISHED.contains(r.get("status").asString()));
    }
}

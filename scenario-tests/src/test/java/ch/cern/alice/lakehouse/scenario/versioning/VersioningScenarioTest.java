package ch.cern.alice.lakehouse.scenario.versioning;

import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #5: versioning over Delta tables written by the real ETL, driven over HTTP only, as an admin and a researcher
 * would: two ETL runs of trace (and one of job_info), tag and branches, diff, merges with and without conflict, a
 * revert, time travel through query-gateway at a tag, and the VACUUM retention guard. The steps build on each other.
 */
@ExtendWith(LakeStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VersioningScenarioTest {

    private static final int RUN1_TRACE_ROWS = 300;
    private static final int RUN2_TRACE_ROWS = 200;
    private static final int JOB_INFO_ROWS = 100;

    private ServiceClient versioningAsAdmin;
    private ServiceClient versioningAsResearcher;
    private ServiceClient queryAsResearcher;
    private EtlRuns etlRuns;

    private long run1StagedRows;
    private long run1TraceVersion;
    private long run1SummaryVersion;
    private String run1CommitId;
    private long firstJobId;
    private String parentOfRun1;
    private JsonNode parentTraceVersion;
    private long jobInfoVersion;
    private long run2TraceVersion;

    @BeforeAll
    void clients(LakeStack stack) {
        versioningAsAdmin = new ServiceClient(stack.versioningUrl(), DemoUser.ADMIN);
        versioningAsResearcher = versioningAsAdmin.as(DemoUser.RESEARCHER);
        queryAsResearcher = new ServiceClient(stack.queryUrl(), DemoUser.RESEARCHER);
        etlRuns = new EtlRuns(new ServiceClient(stack.etlUrl(), DemoUser.ADMIN), versioningAsAdmin);
        run1StagedRows = stack.stagedRows("trace");
    }

    @Test
    @Order(1)
    void anEtlRunAdvancesMainWithACommitNamingTheRun(LakeStack stack) {
        LakeStack.StagedBatch batch = stack.stageTrace(RUN1_TRACE_ROWS);
        firstJobId = batch.firstJobId();
        stack.stageJobInfo(batch.firstJobId(), JOB_INFO_ROWS);
        assertThat(new ServiceClient(stack.etlUrl(), DemoUser.VIEWER).post("/api/v1/etl/runs",
                Map.of("dataset", "trace")).status()).as("viewers may not start runs").isEqualTo(403);

        JsonNode run = etlRuns.runToMain("trace");
        assertThat(run.get("rowsWritten").asLong()).isEqualTo(run1StagedRows + RUN1_TRACE_ROWS);
        assertThat(run.get("notifications").asString()).contains("versioning: ").doesNotContain("failed");

        JsonNode head = etlRuns.mainHead();
        run1TraceVersion = run.get("deltaVersion").asLong();
        run1CommitId = head.get("id").asString();
        assertThat(head.get("message").asString())
                .isEqualTo("ETL run " + run.get("id").asLong() + ": trace, trace_daily_site");
        assertThat(head.get("author").asString()).isEqualTo(DemoUser.ADMIN.name());
        assertThat(head.get("properties").get("source").asString()).isEqualTo("etl");
        assertThat(head.get("tables").get("trace").asLong()).isEqualTo(run1TraceVersion);
        // the summary table the run rebuilt is pinned next to its dataset (issue #18)
        run1SummaryVersion = run.get("tables").get("trace_daily_site").asLong();
        assertThat(head.get("tables").get("trace_daily_site").asLong()).as(head.toString()).isEqualTo(run1SummaryVersion);
        assertThat(head.get("parents")).hasSize(1);
        parentOfRun1 = head.get("parents").get(0).asString();
        parentTraceVersion = versioningAsAdmin.get("/api/v1/versions/commits/" + parentOfRun1).json()
                .get("tables").path("trace");
        assertThat(stack.stagedRows("trace")).isZero();
    }

    @Test
    @Order(2)
    void aResearcherBranchesAndTagsRunOne() {
        ServiceClient.Response branch = versioningAsResearcher.post("/api/v1/versions/branches",
                Map.of("name", "exp", "from", run1CommitId));
        assertThat(branch.status()).as(branch.toString()).isEqualTo(201);
        ServiceClient.Response tag = versioningAsResearcher.post("/api/v1/versions/tags",
                Map.of("name", "run1", "ref", "main", "message", "data of the first ETL run"));
        assertThat(tag.status()).as(tag.toString()).isEqualTo(201);

        JsonNode run1 = versioningAsResearcher.get("/api/v1/versions/refs/run1").json();
        assertThat(run1.get("kind").asString()).isEqualToIgnoringCase("tag");
        assertThat(run1.get("commitId").asString()).isEqualTo(run1CommitId);
        assertThat(run1.get("tables").get("trace").asLong()).isEqualTo(run1TraceVersion);
        assertThat(versioningAsResearcher.get("/api/v1/versions/refs/exp").json().get("commitId").asString())
                .isEqualTo(run1CommitId);
    }

    @Test
    @Order(3)
    void revertingAnEtlCommitRestoresTheTablesOfItsParent() {
        Map<String, Long> mainBefore = tables(etlRuns.mainHead());
        JsonNode run = etlRuns.runToMain("job_info");
        assertThat(run.get("rowsWritten").asLong()).isEqualTo(JOB_INFO_ROWS);
        jobInfoVersion = run.get("deltaVersion").asLong();
        JsonNode etlCommit = etlRuns.mainHead();
        assertThat(etlCommit.get("tables").get("job_info").asLong()).isEqualTo(jobInfoVersion);

        String revertPath = "/api/v1/versions/commits/" + etlCommit.get("id").asString() + "/revert";
        assertThat(versioningAsResearcher.post(revertPath, Map.of("branch", "main")).status())
                .as("only admins change main").isEqualTo(403);
        ServiceClient.Response revert = versioningAsAdmin.post(revertPath, Map.of("branch", "main"));
        assertThat(revert.status()).as(revert.toString()).isEqualTo(201);
        JsonNode reverted = revert.json();
        assertThat(reverted.get("message").asString()).startsWith("Revert \"ETL run ");
        assertThat(reverted.get("properties").get("revertOf").asString()).isEqualTo(etlCommit.get("id").asString());
        assertThat(tables(reverted)).doesNotContainKey("job_info").isEqualTo(mainBefore)
                .containsEntry("trace", run1TraceVersion);
        assertThat(tables(versioningAsAdmin.get("/api/v1/versions/refs/main").json())).isEqualTo(mainBefore);
    }

    @Test
    @Order(4)
    void aSecondRunMovesMainAndTheDiffFromTheTagShowsTheRowsItAdded(LakeStack stack) {
        // a branch from main that pins the (reverted) job_info table: merged later without conflict
        assertThat(versioningAsResearcher.post("/api/v1/versions/branches",
                Map.of("name", "side", "from", "main")).status()).isEqualTo(201);
        ServiceClient.Response sideCommit = versioningAsResearcher.post("/api/v1/versions/commits", Map.of(
                "branch", "side", "message", "pin job_info for the efficiency study",
                "tables", Map.of("job_info", jobInfoVersion)));
        assertThat(sideCommit.status()).as(sideCommit.toString()).isEqualTo(201);

        stack.stageTrace(RUN2_TRACE_ROWS, LakeStack.JUNE_2024_MILLIS + Duration.ofDays(31).toMillis());
        JsonNode run = etlRuns.runToMain("trace");
        run2TraceVersion = run.get("deltaVersion").asLong();
        assertThat(run2TraceVersion).isGreaterThan(run1TraceVersion);
        assertThat(run.get("rowsWritten").asLong()).isEqualTo(RUN2_TRACE_ROWS);

        ServiceClient.Response diff = versioningAsResearcher.get("/api/v1/versions/diff?from=run1&to=main");
        assertThat(diff.status()).as(diff.toString()).isEqualTo(200);
        JsonNode tables = diff.json().get("tables");
        assertThat(tables).as(diff.toString()).hasSize(2); // trace and its summary table, pinned by the same commits
        JsonNode trace = tables.get(0).get("table").asString().equals("trace") ? tables.get(0) : tables.get(1);
        assertThat(trace.get("table").asString()).isEqualTo("trace");
        JsonNode summary = tables.get(0) == trace ? tables.get(1) : tables.get(0);
        assertThat(summary.get("table").asString()).isEqualTo("trace_daily_site");
        assertThat(summary.get("status").asString()).as(diff.toString()).isEqualTo("CHANGED");
        assertThat(summary.get("fromVersion").asLong()).isEqualTo(run1SummaryVersion);
        assertThat(trace.get("status").asString()).isEqualTo("CHANGED");
        assertThat(trace.get("fromVersion").asLong()).isEqualTo(run1TraceVersion);
        assertThat(trace.get("toVersion").asLong()).isEqualTo(run2TraceVersion);
        assertThat(trace.get("rowsAdded").asLong()).as(diff.toString()).isEqualTo(RUN2_TRACE_ROWS);
        assertThat(trace.get("rowsRemoved").asLong()).as(diff.toString()).isZero();
        assertThat(trace.get("complete").asBoolean()).as(diff.toString()).isTrue();
        assertThat(diff.json().get("from").get("commitId").asString()).isEqualTo(run1CommitId);
    }

    @Test
    @Order(5)
    void branchesThatChangedNothingOrAnotherTableMergeWithoutConflict() {
        ServiceClient.Response fastForward = versioningAsResearcher.post("/api/v1/versions/merge",
                Map.of("source", "main", "target", "exp", "message", "catch up with run 2"));
        assertThat(fastForward.status()).as(fastForward.toString()).isEqualTo(200);
        assertThat(fastForward.json().get("outcome").asString()).isEqualTo("FAST_FORWARD");
        JsonNode mainHead = etlRuns.mainHead();
        assertThat(tables(versioningAsResearcher.get("/api/v1/versions/refs/exp").json()))
                .isEqualTo(tables(mainHead)).containsEntry("trace", run2TraceVersion);

        String mainBefore = mainHead.get("id").asString();
        Map<String, Long> expected = new HashMap<>(tables(mainHead));
        expected.put("job_info", jobInfoVersion);
        ServiceClient.Response merge = versioningAsAdmin.post("/api/v1/versions/merge",
                Map.of("source", "side", "target", "main", "message", "take the pinned job_info"));
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        assertThat(merge.json().get("outcome").asString()).isEqualTo("MERGED");
        JsonNode merged = merge.json().get("head");
        assertThat(tables(merged)).isEqualTo(expected);
        assertThat(merged.get("parents")).hasSize(2);
        assertThat(merged.get("parents").get(0).asString()).isEqualTo(mainBefore);
        assertThat(etlRuns.mainHead().get("id").asString()).isEqualTo(merged.get("id").asString());
    }

    @Test
    @Order(6)
    void aBranchThatChangedTheSameTableConflictsWithAReport() {
        assertThat(versioningAsResearcher.post("/api/v1/versions/branches",
                Map.of("name", "clash", "from", parentOfRun1)).status()).isEqualTo(201);
        assertThat(versioningAsResearcher.post("/api/v1/versions/commits", Map.of("branch", "clash",
                "message", "trace as of run 1", "tables", Map.of("trace", run1TraceVersion))).status())
                .isEqualTo(201);
        String mainBefore = etlRuns.mainHead().get("id").asString();

        ServiceClient.Response merge = versioningAsAdmin.post("/api/v1/versions/merge",
                Map.of("source", "clash", "target", "main", "message", "should not happen"));
        assertThat(merge.status()).as(merge.toString()).isEqualTo(409);
        JsonNode problem = merge.json();
        assertThat(problem.get("detail").asString()).contains("conflicts on [trace]");
        assertThat(problem.get("mergeBase").asString()).isEqualTo(parentOfRun1);
        JsonNode conflict = problem.get("conflicts").get(0);
        assertThat(problem.get("conflicts")).hasSize(1);
        assertThat(conflict.get("table").asString()).isEqualTo("trace");
        if (parentTraceVersion.isMissingNode()) {
            assertThat(conflict.get("base").isNull()).as(conflict.toString()).isTrue();
        } else {
            assertThat(conflict.get("base").asLong()).isEqualTo(parentTraceVersion.asLong());
        }
        assertThat(conflict.get("source").asLong()).isEqualTo(run1TraceVersion);
        assertThat(conflict.get("target").asLong()).isEqualTo(run2TraceVersion);
        assertThat(etlRuns.mainHead().get("id").asString()).as("main unchanged").isEqualTo(mainBefore);
    }

    @Test
    @Order(7)
    void theSameQueryCountsRunOneAtTheTagAndRunTwoAtMain() {
        // only this scenario's job ids: other test classes of the JVM may have loaded trace rows before
        String sql = "SELECT count(*) FROM trace WHERE job_id BETWEEN " + firstJobId + " AND "
                + (firstJobId + RUN1_TRACE_ROWS + RUN2_TRACE_ROWS - 1);
        JsonNode atTag = query(sql, "run1");
        assertThat(atTag.get("rows").get(0).get(0).asLong()).as(atTag.toString()).isEqualTo(RUN1_TRACE_ROWS);
        assertThat(atTag.get("executedSql").asString()).containsIgnoringCase("FOR VERSION AS OF " + run1TraceVersion);

        JsonNode atMain = query(sql, "main");
        assertThat(atMain.get("rows").get(0).get(0).asLong()).as(atMain.toString())
                .isEqualTo(RUN1_TRACE_ROWS + RUN2_TRACE_ROWS);
        JsonNode atCommit = query(sql, run1CommitId);
        assertThat(atCommit.get("rows").get(0).get(0).asLong()).as(atCommit.toString()).isEqualTo(RUN1_TRACE_ROWS);

        // the summary table reads the tag's version too: its jobs add up to the tag's trace rows, not main's (#18)
        JsonNode summaryAtTag = query("SELECT sum(jobs) FROM trace_daily_site", "run1");
        assertThat(summaryAtTag.get("executedSql").asString())
                .containsIgnoringCase("FOR VERSION AS OF " + run1SummaryVersion);
        long traceRowsAtTag = query("SELECT count(*) FROM trace", "run1").get("rows").get(0).get(0).asLong();
        assertThat(summaryAtTag.get("rows").get(0).get(0).asLong()).as(summaryAtTag.toString())
                .isEqualTo(traceRowsAtTag);
        long summaryRowsAtMain = query("SELECT count(*) FROM trace_daily_site", "main").get("rows").get(0).get(0)
                .asLong();
        assertThat(query("SELECT sum(jobs) FROM trace_daily_site", "main").get("rows").get(0).get(0).asLong())
                .isEqualTo(query("SELECT count(*) FROM trace", "main").get("rows").get(0).get(0).asLong())
                .isGreaterThanOrEqualTo(traceRowsAtTag + RUN2_TRACE_ROWS);
        // and at main the catalog lists it after the datasets, with main's row count
        ServiceClient.Response catalog = queryAsResearcher.get("/api/v1/catalog?ref=main");
        assertThat(catalog.status()).as(catalog.toString()).isEqualTo(200);
        JsonNode summaryTable = null;
        for (JsonNode schema : catalog.json().get("schemas")) {
            for (JsonNode table : schema.get("tables")) {
                if (table.get("name").asString().equals("trace_daily_site")) {
                    summaryTable = table;
                }
            }
        }
        assertThat(summaryTable).as(catalog.toString()).isNotNull();
        assertThat(summaryTable.get("rowCount").asLong()).as(catalog.toString()).isEqualTo(summaryRowsAtMain);

        ServiceClient.Response unknown = queryAsResearcher.post("/api/v1/queries",
                Map.of("sql", sql, "ref", "no-such-tag"));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asString()).contains("no-such-tag");
    }

    @Test
    @Order(8)
    void theRetentionGuardRefusesAVacuumThatWouldBreakTheTaggedVersion() {
        ServiceClient.Response pins = versioningAsResearcher.get("/api/v1/versions/retention?table=trace");
        assertThat(pins.status()).as(pins.toString()).isEqualTo(200);
        Map<Long, String> pinnedBy = new HashMap<>();
        for (JsonNode version : pins.json().get("tables").get(0).get("versions")) {
            for (JsonNode by : version.get("pinnedBy")) {
                pinnedBy.merge(version.get("version").asLong(), by.get("kind").asString() + ":"
                        + by.get("name").asString(), (a, b) -> a + "," + b);
            }
        }
        assertThat(pinnedBy.get(run1TraceVersion)).as(pins.toString()).contains("run1");

        ServiceClient.Response unsafe = versioningAsResearcher.post("/api/v1/versions/retention/check",
                Map.of("table", "trace", "retainHours", 0.0));
        assertThat(unsafe.status()).as(unsafe.toString()).isEqualTo(409);
        Set<Long> breaking = new java.util.HashSet<>();
        unsafe.json().get("breaking").forEach(b -> breaking.add(b.get("version").asLong()));
        assertThat(breaking).contains(run1TraceVersion).doesNotContain(run2TraceVersion);

        ServiceClient.Response safe = versioningAsResearcher.post("/api/v1/versions/retention/check",
                Map.of("table", "trace", "retainHours", unsafe.json().get("minimumRetainHours").asDouble() + 1));
        assertThat(safe.status()).as(safe.toString()).isEqualTo(200);
        assertThat(safe.json().get("breaking")).isEmpty();
    }

    private JsonNode query(String sql, String ref) {
        return new GatewayQueries(queryAsResearcher).finished(sql, ref);
    }

    private static Map<String, Long> tables(JsonNode commitOrRef) {
        Map<String, Long> tables = new HashMap<>();
        commitOrRef.get("tables").properties().forEach(e -> tables.put(e.getKey(), e.getValue().asLong()));
        return tables;
    }
}

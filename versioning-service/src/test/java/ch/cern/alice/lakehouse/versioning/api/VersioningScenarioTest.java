package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.testsupport.Api.Response;
import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter.Column;
import ch.cern.alice.lakehouse.versioning.testsupport.AbstractServiceTestBase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The researcher story end to end over HTTP: two ETL runs advance main, a branch and a tag at run 1, diff, merges
 * (fast-forward, true merge, conflict), revert, resolve, retention. Steps build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VersioningScenarioTest extends AbstractServiceTestBase {

    private static final Instant T0 = Instant.now().minus(Duration.ofDays(10));
    private static final List<Column> TRACE = List.of(new Column("job_id", "long"), new Column("site", "string"),
            new Column("cpuefficiency", "double"), new Column("year", "integer"), new Column("month", "integer"));

    private String run1Commit;
    private String run2Commit;
    private Instant betweenRuns;

    @Test
    @Order(1)
    void mainExistsWithAnInitialEmptyCommit() {
        Response branches = api.get("victor", "/api/v1/versions/branches");
        assertThat(branches.status()).isEqualTo(200);
        assertThat(names(branches.body())).contains("main");
        Response log = api.get("victor", "/api/v1/versions/branches/main/log?size=500");
        JsonNode commits = log.body().path("commits");
        JsonNode root = commits.get(commits.size() - 1);
        assertThat(root.path("parents").size()).isZero();
        assertThat(root.path("message").asString()).isEqualTo("initial empty commit");
    }

    @Test
    @Order(2)
    void etlRunOneAdvancesMainAndIsIdempotent() {
        delta.create("trace", TRACE, List.of("year", "month"), 100, T0);
        delta.create("job_info", List.of(new Column("job_id", "long"), new Column("user", "string")), List.of(), 50,
                T0);
        Response first = api.post("admin", "/api/v1/versions/internal/etl-commit",
                Map.of("runId", "run-1", "tables", Map.of("trace", 0, "job_info", 0)));
        assertThat(first.status()).as(first.raw()).isEqualTo(201);
        run1Commit = first.body().path("commit").path("id").asString();
        assertThat(first.body().path("commit").path("message").asString()).contains("run-1");
        assertThat(run1Commit).hasSize(64);

        Response retry = api.post("admin", "/api/v1/versions/internal/etl-commit",
                Map.of("runId", "run-1", "tables", Map.of("trace", 0, "job_info", 0)));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().path("alreadyRecorded").asBoolean()).isTrue();
        assertThat(retry.body().path("commit").path("id").asString()).isEqualTo(run1Commit);

        Response main = api.get("victor", "/api/v1/versions/refs/main");
        assertThat(main.body().path("commitId").asString()).isEqualTo(run1Commit);
        assertThat(main.body().path("tables").path("trace").asLong()).isZero();
        assertThat(main.body().path("tables").path("job_info").asLong()).isZero();
    }

    @Test
    @Order(3)
    void branchAndTagAtRunOne() throws InterruptedException {
        Response branch = api.post("alice", "/api/v1/versions/branches", Map.of("name", "study", "from", "main"));
        assertThat(branch.status()).as(branch.raw()).isEqualTo(201);
        assertThat(branch.body().path("head").asString()).isEqualTo(run1Commit);
        assertThat(branch.body().path("createdBy").asString()).isEqualTo("alice");

        Response tag = api.post("alice", "/api/v1/versions/tags",
                Map.of("name", "paper-2026", "ref", "main", "message", "data of the CPU efficiency paper"));
        assertThat(tag.status()).as(tag.raw()).isEqualTo(201);
        assertThat(tag.body().path("commitId").asString()).isEqualTo(run1Commit);

        Response again = api.post("alice", "/api/v1/versions/tags", Map.of("name", "paper-2026", "ref", "main"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("detail")).contains("immutable");
        Thread.sleep(20);
        betweenRuns = Instant.now();
        Thread.sleep(20);
    }

    @Test
    @Order(4)
    void etlRunTwoMergesRowsAndAddsAColumn() {
        delta.merge("trace", 30, 5, 0, T0.plus(Duration.ofDays(1)));
        long v2 = delta.addColumns("trace", List.of(new Column("gpu_model", "string")), T0.plus(Duration.ofDays(2)));
        assertThat(v2).isEqualTo(2);
        Response run2 = api.post("admin", "/api/v1/versions/internal/etl-commit",
                Map.of("runId", "run-2", "tables", Map.of("trace", 2)));
        assertThat(run2.status()).as(run2.raw()).isEqualTo(201);
        run2Commit = run2.body().path("commit").path("id").asString();
        JsonNode commit = run2.body().path("commit");
        assertThat(commit.path("parents").get(0).asString()).isEqualTo(run1Commit);
        assertThat(commit.path("tables").path("trace").asLong()).isEqualTo(2);
        assertThat(commit.path("tables").path("job_info").asLong()).as("not mentioned: kept").isZero();
        assertThat(commit.path("changed").path("trace").asLong()).isEqualTo(2);
        assertThat(commit.path("changed").has("job_info")).isFalse();
    }

    @Test
    @Order(5)
    void refsResolveToPinnedVersions() {
        Response tag = api.get("victor", "/api/v1/versions/refs/paper-2026");
        assertThat(tag.status()).isEqualTo(200);
        assertThat(tag.body().path("kind").asString()).isEqualTo("tag");
        assertThat(tag.body().path("commitId").asString()).isEqualTo(run1Commit);
        assertThat(tag.body().path("tables").path("trace").asLong()).as("tag still at run 1").isZero();

        Response abbreviated = api.get("victor", "/api/v1/versions/refs/" + run2Commit.substring(0, 10));
        assertThat(abbreviated.body().path("commitId").asString()).isEqualTo(run2Commit);
        assertThat(abbreviated.body().path("tables").path("trace").asLong()).isEqualTo(2);

        Response atTime = api.get("victor", "/api/v1/versions/refs/ts:" + betweenRuns);
        assertThat(atTime.body().path("commitId").asString()).isEqualTo(run1Commit);

        Response show = api.get("victor", "/api/v1/versions/commits/" + run2Commit.substring(0, 12));
        assertThat(show.status()).isEqualTo(200);
        assertThat(show.body().path("author").asString()).isEqualTo("admin");
        assertThat(show.body().path("properties").path("etlRunId").asString()).isEqualTo("run-2");

        Response byTime = api.post("bob", "/api/v1/versions/branches",
                Map.of("name", "as-of-run-1", "fromTimestamp", betweenRuns.toString()));
        assertThat(byTime.status()).as(byTime.raw()).isEqualTo(201);
        assertThat(byTime.body().path("head").asString()).isEqualTo(run1Commit);

        assertThat(api.get("victor", "/api/v1/versions/refs/no-such-ref").status()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void diffReportsVersionsRowsAndSchemaChanges() {
        Response diff = api.get("victor", "/api/v1/versions/diff?from=paper-2026&to=main");
        assertThat(diff.status()).as(diff.raw()).isEqualTo(200);
        assertThat(diff.body().path("from").path("commitId").asString()).isEqualTo(run1Commit);
        assertThat(diff.body().path("unchangedTables").asInt()).isEqualTo(1);
        JsonNode trace = diff.body().path("tables").get(0);
        assertThat(trace.path("table").asString()).isEqualTo("trace");
        assertThat(trace.path("status").asString()).isEqualTo("CHANGED");
        assertThat(trace.path("fromVersion").asLong()).isZero();
        assertThat(trace.path("toVersion").asLong()).isEqualTo(2);
        assertThat(trace.path("rowsAdded").asLong()).isEqualTo(30);
        assertThat(trace.path("rowsUpdated").asLong()).isEqualTo(5);
        assertThat(trace.path("rowsRemoved").asLong()).isZero();
        assertThat(trace.path("complete").asBoolean()).isTrue();
        assertThat(trace.path("operations").toString()).contains("MERGE", "ADD COLUMNS");
        JsonNode added = trace.path("schemaChanges").path("added");
        assertThat(added.size()).isEqualTo(1);
        assertThat(added.get(0).path("name").asString()).isEqualTo("gpu_model");
        assertThat(added.get(0).path("type").asString()).isEqualTo("string");

        Response backwards = api.get("victor", "/api/v1/versions/diff?from=main&to=paper-2026");
        JsonNode back = backwards.body().path("tables").get(0);
        assertThat(back.path("rowsRemoved").asLong()).as("undoing run 2 removes its inserts").isEqualTo(30);
        assertThat(back.path("schemaChanges").path("removed").get(0).path("name").asString()).isEqualTo("gpu_model");
    }

    @Test
    @Order(7)
    void fastForwardMerge() {
        assertThat(api.post("alice", "/api/v1/versions/branches", Map.of("name", "ff", "from", "paper-2026"))
                .status()).isEqualTo(201);
        Response merge = api.post("alice", "/api/v1/versions/merge", Map.of("source", "main", "target", "ff"));
        assertThat(merge.status()).as(merge.raw()).isEqualTo(200);
        assertThat(merge.body().path("outcome").asString()).isEqualTo("FAST_FORWARD");
        assertThat(merge.body().path("head").path("id").asString()).isEqualTo(run2Commit);
        Response again = api.post("alice", "/api/v1/versions/merge", Map.of("source", "main", "target", "ff"));
        assertThat(again.body().path("outcome").asString()).isEqualTo("UP_TO_DATE");
    }

    @Test
    @Order(8)
    void trueMergeOfDivergedBranches() {
        delta.create("branch_study.cpu_eff_by_site", List.of(new Column("site", "string"),
                new Column("eff", "double")), List.of(), 70, T0.plus(Duration.ofDays(3)));
        Response pin = api.post("alice", "/api/v1/versions/commits", Map.of("branch", "study",
                "message", "per-site efficiency", "tables", Map.of("branch_study.cpu_eff_by_site", 0)));
        assertThat(pin.status()).as(pin.raw()).isEqualTo(201);
        String studyHead = pin.body().path("id").asString();

        Response merge = api.post("alice", "/api/v1/versions/merge",
                Map.of("source", "main", "target", "study", "message", "take run 2"));
        assertThat(merge.status()).as(merge.raw()).isEqualTo(200);
        assertThat(merge.body().path("outcome").asString()).isEqualTo("MERGED");
        assertThat(merge.body().path("mergeBase").asString()).isEqualTo(run1Commit);
        JsonNode head = merge.body().path("head");
        assertThat(head.path("parents").get(0).asString()).isEqualTo(studyHead);
        assertThat(head.path("parents").get(1).asString()).isEqualTo(run2Commit);
        assertThat(head.path("tables").path("trace").asLong()).as("from main").isEqualTo(2);
        assertThat(head.path("tables").path("branch_study.cpu_eff_by_site").asLong()).as("kept").isZero();
        assertThat(head.path("message").asString()).isEqualTo("take run 2");

        Response log = api.get("victor", "/api/v1/versions/branches/study/log?page=0&size=2");
        assertThat(log.body().path("commits").size()).isEqualTo(2);
        assertThat(log.body().path("commits").get(0).path("id").asString()).isEqualTo(head.path("id").asString());
        assertThat(log.body().path("commits").get(1).path("id").asString()).isEqualTo(studyHead);
        Response page2 = api.get("victor", "/api/v1/versions/branches/study/log?page=1&size=2");
        assertThat(page2.body().path("commits").get(0).path("id").asString()).isEqualTo(run1Commit);
    }

    @Test
    @Order(9)
    void conflictingMergeIsRefusedWithAReport() {
        assertThat(api.post("bob", "/api/v1/versions/branches", Map.of("name", "rework", "from", "paper-2026"))
                .status()).isEqualTo(201);
        assertThat(api.post("bob", "/api/v1/versions/commits", Map.of("branch", "rework",
                "message", "use trace before the schema change", "tables", Map.of("trace", 1))).status())
                .isEqualTo(201);
        String mainBefore = api.get("victor", "/api/v1/versions/refs/main").body().path("commitId").asString();

        Response merge = api.post("admin", "/api/v1/versions/merge", Map.of("source", "rework", "target", "main"));
        assertThat(merge.status()).as(merge.raw()).isEqualTo(409);
        assertThat(merge.text("detail")).contains("trace");
        assertThat(merge.body().path("mergeBase").asString()).isEqualTo(run1Commit);
        JsonNode conflict = merge.body().path("conflicts").get(0);
        assertThat(conflict.path("table").asString()).isEqualTo("trace");
        assertThat(conflict.path("base").asLong()).isZero();
        assertThat(conflict.path("source").asLong()).isEqualTo(1);
        assertThat(conflict.path("target").asLong()).isEqualTo(2);
        assertThat(api.get("victor", "/api/v1/versions/refs/main").body().path("commitId").asString())
                .as("main untouched").isEqualTo(mainBefore);
    }

    @Test
    @Order(10)
    void revertRestoresTheParentVersions() {
        Response revert = api.post("alice", "/api/v1/versions/commits/" + run2Commit.substring(0, 8) + "/revert",
                Map.of("branch", "ff"));
        assertThat(revert.status()).as(revert.raw()).isEqualTo(201);
        JsonNode commit = revert.body();
        assertThat(commit.path("tables").path("trace").asLong()).isZero();
        assertThat(commit.path("tables").path("job_info").asLong()).isZero();
        assertThat(commit.path("properties").path("revertOf").asString()).isEqualTo(run2Commit);
        assertThat(commit.path("message").asString()).startsWith("Revert \"ETL run run-2");

        Response twice = api.post("alice", "/api/v1/versions/commits/" + run2Commit + "/revert",
                Map.of("branch", "ff"));
        assertThat(twice.status()).as("trace changed again since").isEqualTo(409);
        assertThat(twice.body().path("conflicts").get(0).path("table").asString()).isEqualTo("trace");
    }

    @Test
    @Order(11)
    void retentionProtectsPinnedVersions() {
        Response pins = api.get("victor", "/api/v1/versions/retention?table=trace");
        assertThat(pins.status()).isEqualTo(200);
        JsonNode versions = pins.body().path("tables").get(0).path("versions");
        List<Long> pinned = new ArrayList<>();
        versions.forEach(v -> pinned.add(v.path("version").asLong()));
        assertThat(pinned).containsExactly(0L, 1L, 2L);
        assertThat(versions.get(0).toString()).contains("paper-2026");
        assertThat(pins.body().path("rule").asString()).contains("VACUUM");

        // version 0 was superseded by version 1 nine days ago: a one-day retention would delete its files
        Response refused = api.post("victor", "/api/v1/versions/retention/check",
                Map.of("table", "trace", "retainHours", 24));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        List<Long> breaking = new ArrayList<>();
        refused.body().path("breaking").forEach(b -> breaking.add(b.path("version").asLong()));
        assertThat(breaking).containsExactly(0L, 1L);
        double minimum = refused.body().path("minimumRetainHours").asDouble();
        assertThat(minimum).isBetween(9 * 24.0 - 1, 9 * 24.0 + 1);

        Response ok = api.post("victor", "/api/v1/versions/retention/check",
                Map.of("table", "trace", "retainHours", minimum + 1));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(ok.body().path("breaking").size()).isZero();
        assertThat(ok.body().path("currentVersion").asLong()).isEqualTo(2);
    }

    @Test
    @Order(12)
    void horizonTellsVacuumWhatToKeep() {
        Response all = api.get("victor", "/api/v1/versions/retention/horizon");
        assertThat(all.status()).as(all.raw()).isEqualTo(200);
        List<String> tables = new ArrayList<>();
        all.body().forEach(t -> tables.add(t.path("table").asString()));
        assertThat(tables).contains("trace", "job_info");

        Response trace = api.get("victor", "/api/v1/versions/retention/horizon?table=trace");
        assertThat(trace.status()).as(trace.raw()).isEqualTo(200);
        JsonNode h = trace.body().get(0);
        assertThat(h.path("table").asString()).isEqualTo("trace");
        assertThat(h.path("currentVersion").asLong()).isEqualTo(2);
        // the tag paper-2026 pins version 0 (written ten days ago); version 1 superseded it nine days ago, so
        // files removed since then must stay
        assertThat(h.path("oldestPinnedVersion").asLong()).isZero();
        assertThat(Instant.parse(h.path("oldestPinnedAt").asString())).isBetween(T0.minusSeconds(60),
                T0.plus(Duration.ofDays(1)));
        assertThat(Instant.parse(h.path("keepRemovedSince").asString())).isBefore(Instant.now().minus(Duration.ofDays(8)));
        assertThat(h.path("minimumRetainHours").asDouble()).isBetween(9 * 24.0 - 1, 9 * 24.0 + 1);
        assertThat(h.path("unknownAge").size()).isZero();
        assertThat(h.path("pinned").get(0).toString()).contains("paper-2026", "tag");
        assertThat(h.path("pinned").toString()).contains("\"kind\":\"branch\"", "main");

        Response unknown = api.get("victor", "/api/v1/versions/retention/horizon?table=no_such_table");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body().get(0).path("oldestPinnedVersion").isNull()).isTrue();
        assertThat(unknown.body().get(0).path("minimumRetainHours").asDouble()).isZero();

        assertThat(api.get("victor", "/api/v1/versions/retention/horizon?table=x;drop").status()).isEqualTo(400);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.path("name").asString()));
        return names;
    }
}

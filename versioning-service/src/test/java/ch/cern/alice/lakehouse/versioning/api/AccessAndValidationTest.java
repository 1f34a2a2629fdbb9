package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.testsupport.Api.Response;
import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter.Column;
import ch.cern.alice.lakehouse.versioning.testsupport.AbstractServiceTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may do what, and clear 4xx answers for bad input. Uses its own tables and branch names. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessAndValidationTest extends AbstractServiceTestBase {

    @BeforeAll
    void tables() {
        connect();
        delta.create("acc_jobs", List.of(new Column("job_id", "long")), List.of(), 10, Instant.now());
        delta.merge("acc_jobs", 5, 0, 0, Instant.now());
        assertThat(api.post("alice", "/api/v1/versions/branches", Map.of("name", "alice-work")).status())
                .isEqualTo(201);
    }

    @Test
    void anonymousCallersAreRejected() {
        assertThat(api.get(null, "/api/v1/versions/branches").status()).isEqualTo(401);
    }

    @Test
    void viewersReadButCannotCreateBranchesOrTags() {
        assertThat(api.get("victor", "/api/v1/versions/branches").status()).isEqualTo(200);
        assertThat(api.get("victor", "/api/v1/versions/tags").status()).isEqualTo(200);
        assertThat(api.get("victor", "/api/v1/versions/refs/main").status()).isEqualTo(200);
        Response branch = api.post("victor", "/api/v1/versions/branches", Map.of("name", "victor-branch"));
        assertThat(branch.status()).isEqualTo(403);
        assertThat(branch.text("detail")).contains("role");
        assertThat(api.post("victor", "/api/v1/versions/tags", Map.of("name", "victor-tag")).status())
                .isEqualTo(403);
        assertThat(api.get("victor", "/api/v1/versions/branches/victor-branch").status()).isEqualTo(404);
    }

    @Test
    void researchersCannotDeleteTagsButAdminsCan() {
        assertThat(api.post("alice", "/api/v1/versions/tags", Map.of("name", "acc-tag", "ref", "alice-work"))
                .status()).isEqualTo(201);
        assertThat(api.delete("alice", "/api/v1/versions/tags/acc-tag").status()).isEqualTo(403);
        assertThat(api.get("victor", "/api/v1/versions/tags/acc-tag").status()).isEqualTo(200);
        assertThat(api.delete("admin", "/api/v1/versions/tags/acc-tag").status()).isEqualTo(204);
        assertThat(api.get("victor", "/api/v1/versions/tags/acc-tag").status()).isEqualTo(404);
    }

    @Test
    void researchersCannotMoveMain() {
        Response commit = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "main", "message", "sneaky", "tables", Map.of("acc_jobs", 1)));
        assertThat(commit.status()).isEqualTo(403);
        assertThat(commit.text("detail")).contains("only admins");
        Response merge = api.post("alice", "/api/v1/versions/merge",
                Map.of("source", "alice-work", "target", "main"));
        assertThat(merge.status()).isEqualTo(403);
        Response etl = api.post("alice", "/api/v1/versions/internal/etl-commit",
                Map.of("runId", "fake", "tables", Map.of("acc_jobs", 1)));
        assertThat(etl.status()).isEqualTo(403);
        assertThat(api.delete("admin", "/api/v1/versions/branches/main").status()).isEqualTo(400);
    }

    @Test
    void researchersCommitOnlyOnTheirOwnBranchesAndSchemas() {
        Response own = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "alice-work", "message", "pin jobs v1", "tables", Map.of("acc_jobs", 1)));
        assertThat(own.status()).as(own.raw()).isEqualTo(201);
        assertThat(own.body().path("author").asString()).isEqualTo("alice");

        Response foreign = api.post("bob", "/api/v1/versions/commits",
                Map.of("branch", "alice-work", "message", "hi", "tables", Map.of("acc_jobs", 0)));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.text("detail")).contains("belongs to alice");
        assertThat(api.delete("bob", "/api/v1/versions/branches/alice-work").status()).isEqualTo(403);

        Response otherSchema = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "alice-work", "message", "x", "tables", Map.of("branch_bob.t", 0)));
        assertThat(otherSchema.status()).isEqualTo(403);
        assertThat(otherSchema.text("detail")).contains("branch_alice_work");
    }

    @Test
    void badInputGetsAClearError() {
        Response noVersion = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "alice-work", "message", "x", "tables", Map.of("acc_jobs", 9)));
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.text("detail")).contains("no Delta version 9").contains("latest is 1");

        Response noTable = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "alice-work", "message", "x", "tables", Map.of("acc_missing", 0)));
        assertThat(noTable.status()).isEqualTo(400);
        assertThat(noTable.text("detail")).contains("no Delta log");

        Response badName = api.post("alice", "/api/v1/versions/branches", Map.of("name", "bad name!"));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.text("detail")).contains("branch name");

        Response badTable = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "alice-work", "message", "x", "tables", Map.of("Bad-Table", 0)));
        assertThat(badTable.status()).isEqualTo(400);

        Response noMessage = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "alice-work", "tables", Map.of("acc_jobs", 0)));
        assertThat(noMessage.status()).isEqualTo(400);

        Response unknownBranch = api.post("alice", "/api/v1/versions/commits",
                Map.of("branch", "nope", "message", "x", "tables", Map.of("acc_jobs", 0)));
        assertThat(unknownBranch.status()).isEqualTo(404);

        Response duplicate = api.post("alice", "/api/v1/versions/branches", Map.of("name", "alice-work"));
        assertThat(duplicate.status()).isEqualTo(409);

        Response malformed = api.post("alice", "/api/v1/versions/branches", "{not json");
        assertThat(malformed.status()).isEqualTo(400);

        Response badTime = api.post("alice", "/api/v1/versions/branches",
                Map.of("name", "x1", "fromTimestamp", "yesterday"));
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.text("detail")).contains("ISO-8601");

        Map<String, Object> nullVersion = new HashMap<>();
        nullVersion.put("acc_jobs", null);
        Response etlNull = api.post("admin", "/api/v1/versions/internal/etl-commit",
                Map.of("runId", "r-null", "tables", nullVersion));
        assertThat(etlNull.status()).isEqualTo(400);

        Response retention = api.post("victor", "/api/v1/versions/retention/check",
                Map.of("table", "acc_jobs", "retainHours", -1));
        assertThat(retention.status()).isEqualTo(400);
    }

    @Test
    void theAccessCheckTellsWhoMayCommitBeforeAnythingIsWritten() {
        Response own = api.get("alice", "/api/v1/versions/branches/alice-work/access");
        assertThat(own.status()).as(own.raw()).isEqualTo(200);
        assertThat(own.body().path("mayCommit").asBoolean()).isTrue();
        assertThat(own.text("schema")).isEqualTo("branch_alice_work");
        assertThat(own.text("createdBy")).isEqualTo("alice");
        assertThat(own.text("head")).isEqualTo(api.get("alice", "/api/v1/versions/refs/alice-work").body()
                .path("commitId").asString());

        Response foreign = api.get("bob", "/api/v1/versions/branches/alice-work/access");
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.body().path("mayCommit").asBoolean()).isFalse();
        assertThat(foreign.text("reason")).contains("belongs to alice");
        assertThat(api.get("admin", "/api/v1/versions/branches/alice-work/access").body().path("mayCommit")
                .asBoolean()).isTrue();
        Response main = api.get("alice", "/api/v1/versions/branches/main/access");
        assertThat(main.body().path("mayCommit").asBoolean()).isFalse();
        assertThat(main.text("reason")).contains("only admins");
        assertThat(api.get("victor", "/api/v1/versions/branches/alice-work/access").body().path("mayCommit")
                .asBoolean()).as("a viewer may read, not commit").isFalse();
        assertThat(api.get("alice", "/api/v1/versions/branches/no-such/access").status()).isEqualTo(404);
    }

    @Test
    void branchesThatWouldShareADerivedTableSchemaAreRefused() {
        Response clash = api.post("bob", "/api/v1/versions/branches", Map.of("name", "Alice_Work"));
        assertThat(clash.status()).as(clash.raw()).isEqualTo(409);
        assertThat(clash.text("detail")).contains("alice-work").contains("branch_alice_work");
    }

    @Test
    void staleExpectedHeadIsRefused() {
        String head = api.get("victor", "/api/v1/versions/refs/alice-work").body().path("commitId").asString();
        assertThat(api.post("alice", "/api/v1/versions/commits", Map.of("branch", "alice-work", "message", "a",
                "tables", Map.of("acc_jobs", 0), "expectedHead", head)).status()).isEqualTo(201);
        Response stale = api.post("alice", "/api/v1/versions/commits", Map.of("branch", "alice-work",
                "message", "b", "tables", Map.of("acc_jobs", 1), "expectedHead", head));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.text("detail")).contains("moved");
    }

    @Test
    void ownersAndAdminsDeleteBranches() {
        assertThat(api.post("bob", "/api/v1/versions/branches", Map.of("name", "bob-tmp")).status()).isEqualTo(201);
        assertThat(api.delete("bob", "/api/v1/versions/branches/bob-tmp").status()).isEqualTo(204);
        assertThat(api.get("victor", "/api/v1/versions/branches/bob-tmp").status()).isEqualTo(404);
        assertThat(api.post("bob", "/api/v1/versions/branches", Map.of("name", "bob-tmp2")).status())
                .isEqualTo(201);
        assertThat(api.delete("admin", "/api/v1/versions/branches/bob-tmp2").status()).isEqualTo(204);
    }
}

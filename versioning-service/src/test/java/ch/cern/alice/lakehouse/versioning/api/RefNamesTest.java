package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.testsupport.Api.Response;
import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter.Column;
import ch.cern.alice.lakehouse.versioning.testsupport.AbstractServiceTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refs are unambiguous: branch and tag names cannot be read as commit ids or built-in refs, a branch and a tag never
 * share a name (also when both are created at once), {@code expectedHead} is a full commit id or absent, and old
 * hex-like names keep working without ever hiding a full commit id. Uses its own tables and names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefNamesTest extends AbstractServiceTestBase {

    private static final String HEX_64 = "0123456789abcdef".repeat(4);

    @Autowired
    private JdbcClient jdbc;

    private String base;
    private String second;

    @BeforeAll
    void commits() {
        connect();
        delta.create("ref_jobs", List.of(new Column("job_id", "long")), List.of(), 10, Instant.now());
        delta.merge("ref_jobs", 5, 0, 0, Instant.now());
        assertThat(api.post("alice", "/api/v1/versions/branches", Map.of("name", "ref-work")).status())
                .isEqualTo(201);
        base = commit("ref-work", 0, null).text("id");
        second = commit("ref-work", 1, null).text("id");
        assertThat(base).hasSize(64).isNotEqualTo(second);
    }

    @AfterAll
    void removeLegacyRows() {
        jdbc.sql("DELETE FROM versioning.branch_moves WHERE branch = ? OR branch = ?")
                .params(base.substring(0, 10), base).update();
        jdbc.sql("DELETE FROM versioning.branches WHERE name = ? OR name = ?")
                .params(base.substring(0, 10), base).update();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cafe", "CAFE", "DeadBeef", "0123", "2026", "facade", "0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void namesThatLookLikeCommitIdsAreRefused(String name) {
        Response branch = api.post("alice", "/api/v1/versions/branches", Map.of("name", name));
        assertThat(branch.status()).as(branch.raw()).isEqualTo(400);
        assertThat(branch.text("detail")).contains("branch name '" + name + "' looks like a commit id")
                .contains("4 to 64 hex");
        Response tag = api.post("alice", "/api/v1/versions/tags", Map.of("name", name, "ref", "ref-work"));
        assertThat(tag.status()).as(tag.raw()).isEqualTo(400);
        assertThat(tag.text("detail")).contains("tag name '" + name + "' looks like a commit id");
        assertThat(api.get("victor", "/api/v1/versions/branches/" + name).status()).isEqualTo(404);
        assertThat(api.get("victor", "/api/v1/versions/tags/" + name).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v:3", "ts:2026-01-01T00:00:00Z", "main:x"})
    void namesWithABuiltInRefPrefixAreRefused(String name) {
        Response branch = api.post("alice", "/api/v1/versions/branches", Map.of("name", name));
        assertThat(branch.status()).as(branch.raw()).isEqualTo(400);
        assertThat(branch.text("detail")).contains("must not contain ':'").contains("built-in refs");
        Response tag = api.post("alice", "/api/v1/versions/tags", Map.of("name", name, "ref", "ref-work"));
        assertThat(tag.status()).as(tag.raw()).isEqualTo(400);
        assertThat(tag.text("detail")).contains("must not contain ':'");
    }

    /** 3 hex characters are no commit ref (prefixes start at 4), nor is 65; a non-hex character anywhere is enough. */
    @ParameterizedTest
    @ValueSource(strings = {"abc", "cafe-1", "coffee", "v2", "ref-paper-2026", "deadbeeg", "run.2026.01",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"})
    void ordinaryNamesStillWork(String name) {
        Response branch = api.post("alice", "/api/v1/versions/branches", Map.of("name", name, "from", "ref-work"));
        assertThat(branch.status()).as(branch.raw()).isEqualTo(201);
        Response resolved = api.get("victor", "/api/v1/versions/refs/" + name);
        assertThat(resolved.text("kind")).isEqualTo("branch");
        assertThat(resolved.text("commitId")).isEqualTo(second);
        assertThat(api.delete("alice", "/api/v1/versions/branches/" + name).status()).isEqualTo(204);

        Response tag = api.post("alice", "/api/v1/versions/tags", Map.of("name", name, "ref", base));
        assertThat(tag.status()).as(tag.raw()).isEqualTo(201);
        Response tagged = api.get("victor", "/api/v1/versions/refs/" + name);
        assertThat(tagged.text("kind")).isEqualTo("tag");
        assertThat(tagged.text("commitId")).isEqualTo(base);
        assertThat(api.delete("admin", "/api/v1/versions/tags/" + name).status()).isEqualTo(204);
    }

    @Test
    void aBranchAndATagNeverShareAName() {
        assertThat(api.post("alice", "/api/v1/versions/branches", Map.of("name", "ref-branch-first")).status())
                .isEqualTo(201);
        Response tag = api.post("alice", "/api/v1/versions/tags", Map.of("name", "ref-branch-first"));
        assertThat(tag.status()).as(tag.raw()).isEqualTo(409);
        assertThat(tag.text("detail")).contains("a branch named 'ref-branch-first' exists")
                .contains("branch and tag names must differ");

        assertThat(api.post("alice", "/api/v1/versions/tags", Map.of("name", "ref-tag-first")).status())
                .isEqualTo(201);
        Response branch = api.post("bob", "/api/v1/versions/branches", Map.of("name", "ref-tag-first"));
        assertThat(branch.status()).as(branch.raw()).isEqualTo(409);
        assertThat(branch.text("detail")).contains("a tag named 'ref-tag-first' exists")
                .contains("branch and tag names must differ");
        assertThat(api.get("victor", "/api/v1/versions/branches/ref-tag-first").status()).isEqualTo(404);
        assertThat(api.get("victor", "/api/v1/versions/tags/ref-branch-first").status()).isEqualTo(404);
    }

    /** The check spans two tables: a branch and a tag of one name created at the same moment must not both land. */
    @Test
    void aBranchAndATagCreatedAtOnceNeverShareAName() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 12; round++) {
                String name = "ref-race-" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Response> branch = pool.submit(() -> {
                    start.await();
                    return api.post("alice", "/api/v1/versions/branches", Map.of("name", name));
                });
                Future<Response> tag = pool.submit(() -> {
                    start.await();
                    return api.post("bob", "/api/v1/versions/tags", Map.of("name", name));
                });
                List<Integer> statuses = new ArrayList<>(List.of(branch.get().status(), tag.get().status()));
                assertThat(statuses).as("round " + round + ": " + branch.get().raw() + " / " + tag.get().raw())
                        .containsExactlyInAnyOrder(201, 409);
                int branches = api.get("victor", "/api/v1/versions/branches/" + name).status() == 200 ? 1 : 0;
                int tags = api.get("victor", "/api/v1/versions/tags/" + name).status() == 200 ? 1 : 0;
                assertThat(branches + tags).as("round " + round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expectedHeadMustBeAFullCommitIdWhenGiven() {
        assertThat(api.post("alice", "/api/v1/versions/branches", Map.of("name", "ref-expect", "from", base))
                .status()).isEqualTo(201);
        for (String bad : List.of("", " ", base.substring(0, 12), base.substring(0, 63), base + "0", "garbage",
                "g".repeat(64), "x".repeat(5000))) {
            Response refused = commit("ref-expect", 1, bad);
            assertThat(refused.status()).as("expectedHead '%s': %s", bad, refused.raw()).isEqualTo(400);
            assertThat(refused.text("detail")).contains("expectedHead must be the branch head's full commit id")
                    .contains("64 hex characters");
            assertThat(refused.text("detail").length()).isLessThan(400);
        }
        assertThat(head("ref-expect")).as("nothing was committed").isEqualTo(base);

        Response wrong = commit("ref-expect", 1, second);
        assertThat(wrong.status()).as(wrong.raw()).isEqualTo(409);
        assertThat(wrong.text("detail")).contains("moved").contains(base);

        Response exact = commit("ref-expect", 1, base.toUpperCase(Locale.ROOT));
        assertThat(exact.status()).as(exact.raw()).isEqualTo(201);
        Response absent = commit("ref-expect", 0, null);
        assertThat(absent.status()).as("no expectedHead = no check: " + absent.raw()).isEqualTo(201);
        Map<String, Object> explicitNull = new HashMap<>(Map.of("branch", "ref-expect", "message", "null head",
                "tables", Map.of("ref_jobs", 1)));
        explicitNull.put("expectedHead", null);
        assertThat(api.post("alice", "/api/v1/versions/commits", explicitNull).status()).isEqualTo(201);
    }

    /**
     * A branch made before hex-like names were refused (written straight into the database here) keeps working by
     * its name and still shadows the commits its name abbreviates, but a full commit id always means the commit.
     */
    @Test
    void oldHexLikeBranchesKeepWorkingButAFullCommitIdMeansTheCommit() {
        String prefixName = base.substring(0, 10);
        legacyBranch(prefixName, second);
        legacyBranch(base, second);

        Response byPrefix = api.get("victor", "/api/v1/versions/refs/" + prefixName);
        assertThat(byPrefix.status()).as(byPrefix.raw()).isEqualTo(200);
        assertThat(byPrefix.text("kind")).isEqualTo("branch");
        assertThat(byPrefix.text("commitId")).isEqualTo(second);

        Response byFullId = api.get("victor", "/api/v1/versions/refs/" + base);
        assertThat(byFullId.text("kind")).isEqualTo("commit");
        assertThat(byFullId.text("commitId")).isEqualTo(base);
        Response upperFullId = api.get("victor", "/api/v1/versions/refs/" + base.toUpperCase(Locale.ROOT));
        assertThat(upperFullId.text("kind")).isEqualTo("commit");
        assertThat(upperFullId.text("commitId")).isEqualTo(base);
        assertThat(api.get("victor", "/api/v1/versions/commits/" + prefixName).body().path("id").asString())
                .as("the commits endpoint reads only ids").isEqualTo(base);

        // the old branches are still branches: readable, committable by name, deletable
        assertThat(api.get("victor", "/api/v1/versions/branches/" + base).text("head")).isEqualTo(second);
        Response onOld = commit(prefixName, 0, second);
        assertThat(onOld.status()).as(onOld.raw()).isEqualTo(201);
        assertThat(head(prefixName)).isEqualTo(onOld.text("id"));
        Response diff = api.get("victor", "/api/v1/versions/diff?from=" + base + "&to=" + prefixName);
        assertThat(diff.status()).as(diff.raw()).isEqualTo(200);
        assertThat(api.delete("alice", "/api/v1/versions/branches/" + base).status()).isEqualTo(204);
        assertThat(api.get("victor", "/api/v1/versions/refs/" + base).text("commitId")).isEqualTo(base);
    }

    @Test
    void aFullIdOfNoCommitThatNoRefNamesIsNotFound() {
        Response missing = api.get("victor", "/api/v1/versions/refs/" + HEX_64);
        assertThat(missing.status()).as(missing.raw()).isEqualTo(404);
        assertThat(missing.text("detail")).contains("no commit " + HEX_64);
    }

    private Response commit(String branch, long version, String expectedHead) {
        Map<String, Object> body = new HashMap<>(Map.of("branch", branch, "message", "pin ref_jobs v" + version,
                "tables", Map.of("ref_jobs", version)));
        if (expectedHead != null) {
            body.put("expectedHead", expectedHead);
        }
        Response response = api.post("alice", "/api/v1/versions/commits", body);
        if (expectedHead == null) {
            assertThat(response.status()).as(response.raw()).isEqualTo(201);
        }
        return response;
    }

    private String head(String branch) {
        return api.get("victor", "/api/v1/versions/branches/" + branch).text("head");
    }

    private void legacyBranch(String name, String head) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("INSERT INTO versioning.branches (name, head, created_by, created_at, updated_at) "
                + "VALUES (?, ?, 'alice', ?, ?)").params(name, head, now, now).update();
    }
}

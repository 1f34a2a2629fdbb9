package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.testsupport.Api.Response;
import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter.Column;
import ch.cern.alice.lakehouse.versioning.testsupport.AbstractServiceTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing refs at scale: main and tags first, then branches by last update; filters by name substring, prefix and
 * owner; pages with total and next offset; the unpaged branch list of earlier callers unchanged. Own names (lst-).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefListingTest extends AbstractServiceTestBase {

    @Autowired
    private JdbcClient jdbc;

    @BeforeAll
    void branches() {
        connect();
        delta.create("lst_jobs", List.of(new Column("job_id", "long")), List.of(), 10, Instant.now());
        for (int i = 0; i < 12; i++) {
            created(api.post("alice", "/api/v1/versions/branches", Map.of("name", String.format("lst-a-%02d", i))));
        }
        for (int i = 0; i < 8; i++) {
            created(api.post("bob", "/api/v1/versions/branches", Map.of("name", String.format("lst-b-%02d", i))));
        }
        created(api.post("alice", "/api/v1/versions/tags", Map.of("name", "lst-tag", "ref", "main")));
        // the oldest of alice's branches moves last: by last update it comes first
        created(api.post("alice", "/api/v1/versions/commits", Map.of("branch", "lst-a-00",
                "message", "pin lst_jobs", "tables", Map.of("lst_jobs", 0))));
    }

    @AfterAll
    void remove() {
        api.delete("admin", "/api/v1/versions/tags/lst-tag");
        jdbc.sql("DELETE FROM versioning.branch_moves WHERE branch LIKE 'lst-%'").update();
        jdbc.sql("DELETE FROM versioning.branches WHERE name LIKE 'lst-%'").update();
    }

    @Test
    void mainThenTagsThenBranchesByLastUpdate() {
        JsonNode page = ok(api.get("victor", "/api/v1/versions/refs?limit=500")).body();
        List<JsonNode> items = list(page.path("items"));
        assertThat(items.get(0).path("name").asString()).isEqualTo("main");
        assertThat(items.get(0).path("kind").asString()).isEqualTo("branch");
        List<String> kinds = items.stream().skip(1).map(i -> i.path("kind").asString()).toList();
        int firstBranch = kinds.indexOf("branch");
        assertThat(kinds.subList(0, firstBranch)).containsOnly("tag").isNotEmpty();
        assertThat(kinds.subList(firstBranch, kinds.size())).containsOnly("branch");
        List<Instant> updated = items.stream().skip(1 + firstBranch)
                .map(i -> Instant.parse(i.path("updatedAt").asString())).toList();
        assertThat(updated).isSortedAccordingTo((a, b) -> b.compareTo(a));
        JsonNode tag = items.stream().filter(i -> i.path("name").asString().equals("lst-tag")).findFirst().orElseThrow();
        assertThat(tag.path("owner").asString()).isEqualTo("alice");
        assertThat(page.path("total").asLong()).isEqualTo(items.size());
        assertThat(page.path("nextOffset").isNull()).isTrue();
    }

    @Test
    void filtersAndPages() {
        JsonNode first = ok(api.get("victor", "/api/v1/versions/refs?q=LST-A&limit=5")).body();
        assertThat(first.path("total").asLong()).isEqualTo(12);
        assertThat(names(first.path("items"))).hasSize(5).startsWith("lst-a-00", "lst-a-11", "lst-a-10");
        assertThat(first.path("nextOffset").asInt()).isEqualTo(5);
        JsonNode last = ok(api.get("victor", "/api/v1/versions/refs?q=lst-a&limit=5&offset=10")).body();
        assertThat(names(last.path("items"))).containsExactly("lst-a-02", "lst-a-01");
        assertThat(last.path("nextOffset").isNull()).isTrue();

        JsonNode bobs = ok(api.get("alice", "/api/v1/versions/refs?q=lst-&owner=bob")).body();
        assertThat(bobs.path("total").asLong()).isEqualTo(8);
        assertThat(list(bobs.path("items"))).allSatisfy(i -> assertThat(i.path("owner").asString()).isEqualTo("bob"));
        assertThat(names(ok(api.get("alice", "/api/v1/versions/refs?prefix=lst-b-0&limit=3")).body().path("items")))
                .containsExactly("lst-b-07", "lst-b-06", "lst-b-05");
        assertThat(names(ok(api.get("alice", "/api/v1/versions/refs?q=lst&kind=tag")).body().path("items")))
                .containsExactly("lst-tag");
        assertThat(ok(api.get("alice", "/api/v1/versions/refs?q=no-such-ref-anywhere")).body().path("total").asLong())
                .isZero();
    }

    @Test
    void branchListKeepsItsShapeAndGainsPages() {
        Response all = ok(api.get("victor", "/api/v1/versions/branches"));
        List<String> names = names(all.body());
        assertThat(names).contains("main", "lst-a-00", "lst-b-07").isSorted();
        assertThat(all.header("X-Total-Count")).isEqualTo(Integer.toString(names.size()));
        assertThat(all.header("X-Next-Offset")).isNull();

        Response page = ok(api.get("victor", "/api/v1/versions/branches?q=lst-&sort=updated&limit=5"));
        assertThat(names(page.body())).hasSize(5).startsWith("lst-a-00", "lst-b-07");
        assertThat(page.header("X-Total-Count")).isEqualTo("20");
        assertThat(page.header("X-Next-Offset")).isEqualTo("5");
        assertThat(names(ok(api.get("victor", "/api/v1/versions/branches?prefix=lst-&owner=bob&offset=6")).body()))
                .containsExactly("lst-b-06", "lst-b-07");
    }

    @Test
    void branchFiltersAreLiteralTextNotPatterns() {
        created(api.post("alice", "/api/v1/versions/branches", Map.of("name", "lit_q1")));
        created(api.post("alice", "/api/v1/versions/branches", Map.of("name", "litxq1")));
        try {
            assertThat(names(ok(api.get("victor", "/api/v1/versions/branches?q=T_Q")).body()))
                    .as("'_' is a character, not a wildcard; case-insensitive").containsExactly("lit_q1");
            assertThat(names(ok(api.get("victor", "/api/v1/versions/branches?prefix=lit_")).body()))
                    .containsExactly("lit_q1");
            assertThat(names(ok(api.get("victor", "/api/v1/versions/branches?q=%25")).body())).isEmpty();
        } finally {
            assertThat(api.delete("alice", "/api/v1/versions/branches/lit_q1").status()).isEqualTo(204);
            assertThat(api.delete("alice", "/api/v1/versions/branches/litxq1").status()).isEqualTo(204);
        }
    }

    @Test
    void commitLogPages() {
        JsonNode first = ok(api.get("victor", "/api/v1/versions/branches/lst-a-00/log?limit=1")).body();
        assertThat(list(first.path("commits"))).singleElement()
                .satisfies(c -> assertThat(c.path("message").asString()).isEqualTo("pin lst_jobs"));
        assertThat(first.path("hasMore").asBoolean()).isTrue();
        assertThat(first.path("nextOffset").asLong()).isEqualTo(1);
        JsonNode second = ok(api.get("victor", "/api/v1/versions/branches/lst-a-00/log?offset=1&limit=1")).body();
        String mainHead = ok(api.get("victor", "/api/v1/versions/branches/lst-a-01")).text("head");
        assertThat(list(second.path("commits")).get(0).path("id").asString()).isEqualTo(mainHead);
        JsonNode old = ok(api.get("victor", "/api/v1/versions/branches/lst-a-00/log?page=0&size=50")).body();
        assertThat(old.path("hasMore").asBoolean()).isFalse();
        assertThat(old.path("nextOffset").isNull()).isTrue();
    }

    @Test
    void badPagesAreRefusedClearly() {
        for (String query : List.of("refs?limit=0", "refs?limit=501", "refs?offset=-1", "refs?kind=commit",
                "branches?limit=0", "branches?sort=size", "branches/main/log?offset=-1")) {
            Response r = api.get("victor", "/api/v1/versions/" + query);
            assertThat(r.status()).as(query + ": " + r.raw()).isEqualTo(400);
        }
        assertThat(api.get(null, "/api/v1/versions/refs").status()).isEqualTo(401);
    }

    private static Response ok(Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    private static void created(Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static List<String> names(JsonNode array) {
        return list(array).stream().map(n -> n.path("name").asString()).toList();
    }
}

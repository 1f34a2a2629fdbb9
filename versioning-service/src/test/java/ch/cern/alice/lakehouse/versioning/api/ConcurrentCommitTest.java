package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.testsupport.Api.Response;
import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter.Column;
import ch.cern.alice.lakehouse.versioning.testsupport.AbstractServiceTestBase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Concurrent commits to one branch all land, chained one after the other: no lost updates of the head. */
class ConcurrentCommitTest extends AbstractServiceTestBase {

    @Test
    void concurrentCommitsToOneBranchAreAllKept() throws Exception {
        delta.create("conc_t", List.of(new Column("id", "long")), List.of(), 1, Instant.now());
        for (int i = 0; i < 4; i++) {
            delta.merge("conc_t", 1, 0, 0, Instant.now());
        }
        assertThat(api.post("alice", "/api/v1/versions/branches", Map.of("name", "conc")).status()).isEqualTo(201);
        String start = api.get("victor", "/api/v1/versions/refs/conc").body().path("commitId").asString();

        int threads = 6;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    Response r = api.post("alice", "/api/v1/versions/commits", Map.of("branch", "conc",
                            "message", "t" + thread + " c" + i, "tables", Map.of("conc_t", (thread + i) % 5)));
                    assertThat(r.status()).as(r.raw()).isEqualTo(201);
                    ids.add(r.body().path("id").asString());
                }
                return ids;
            }));
        }
        Set<String> created = new HashSet<>();
        for (Future<List<String>> future : futures) {
            created.addAll(future.get());
        }
        pool.shutdown();
        assertThat(created).hasSize(threads * perThread);

        Response log = api.get("victor", "/api/v1/versions/branches/conc/log?size=" + (threads * perThread + 1));
        List<String> chain = new ArrayList<>();
        log.body().path("commits").forEach(c -> chain.add(c.path("id").asString()));
        assertThat(chain).hasSize(threads * perThread + 1);
        assertThat(chain.get(chain.size() - 1)).isEqualTo(start);
        assertThat(chain.subList(0, chain.size() - 1)).containsExactlyInAnyOrderElementsOf(created);
    }
}

package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.support.security.Role;
import ch.cern.alice.lakehouse.versioning.delta.DeltaCommit;
import ch.cern.alice.lakehouse.versioning.delta.RowChanges;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainRulesTest {

    private static final Instant T = Instant.parse("2026-05-01T10:00:00.123456789Z");

    @Test
    void commitIdsHashEveryFieldAndAreStable() {
        TreeMap<String, Long> tables = new TreeMap<>(Map.of("trace", 3L));
        String id = CommitIds.hash(List.of("p"), tables, "alice", "m", T, Map.of());
        assertThat(id).hasSize(64).matches("[0-9a-f]+");
        assertThat(CommitIds.hash(List.of("p"), tables, "alice", "m", T, Map.of())).isEqualTo(id);
        assertThat(CommitIds.hash(List.of("p"), new TreeMap<>(Map.of("trace", 4L)), "alice", "m", T, Map.of()))
                .isNotEqualTo(id);
        assertThat(CommitIds.hash(List.of("q"), tables, "alice", "m", T, Map.of())).isNotEqualTo(id);
        assertThat(CommitIds.hash(List.of("p"), tables, "bob", "m", T, Map.of())).isNotEqualTo(id);
        assertThat(CommitIds.hash(List.of("p"), tables, "alice", "m2", T, Map.of())).isNotEqualTo(id);
        assertThat(CommitIds.commitTime(T).getNano()).isEqualTo(123456000);
    }

    @Test
    void changesListNewRemovedAndMovedTables() {
        Map<String, Long> before = Map.of("a", 1L, "b", 2L, "c", 3L);
        Map<String, Long> after = Map.of("a", 1L, "b", 5L, "d", 0L);
        Map<String, Long> expected = new HashMap<>();
        expected.put("b", 5L);
        expected.put("c", null);
        expected.put("d", 0L);
        assertThat(CommitWriter.changes(before, after)).isEqualTo(expected);
    }

    @Test
    void namesAreValidated() {
        assertThat(Names.requireRefName("branch", "study-2026.v1")).isEqualTo("study-2026.v1");
        assertThatThrownBy(() -> Names.requireRefName("branch", "a/b")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> Names.requireRefName("tag", "ts:x")).isInstanceOf(BadRequestException.class);
        assertThat(Names.requireTableName("branch_x.my_table")).isEqualTo("branch_x.my_table");
        assertThatThrownBy(() -> Names.requireTableName("a.b.c")).isInstanceOf(BadRequestException.class);
        assertThat(LakeLayout.branchSchema("Alice-Work.2")).isEqualTo("branch_alice_work_2");
    }

    @Test
    void accessPolicyProtectsMainAndForeignBranches() {
        Branch main = new Branch("main", "h", "system", T, T);
        Branch alices = new Branch("work", "h", "alice", T, T);
        Caller alice = new Caller("alice", Role.RESEARCHER);
        Caller admin = new Caller("root", Role.ADMIN);
        assertThatThrownBy(() -> AccessPolicy.requireMayMove(main, alice)).isInstanceOf(ForbiddenException.class);
        AccessPolicy.requireMayMove(main, admin);
        AccessPolicy.requireMayMove(alices, alice);
        assertThatThrownBy(() -> AccessPolicy.requireMayMove(alices, new Caller("bob", Role.RESEARCHER)))
                .isInstanceOf(ForbiddenException.class);
        AccessPolicy.requireMayPin(alices, "branch_work.t", alice);
        AccessPolicy.requireMayPin(alices, "trace", alice);
        assertThatThrownBy(() -> AccessPolicy.requireMayPin(alices, "branch_other.t", alice))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void rowChangesComeFromMetricsOrFileStats() {
        var merge = commit("MERGE", Map.of("numTargetRowsInserted", 4L, "numTargetRowsUpdated", 2L,
                "numTargetRowsDeleted", 1L, "numOutputRows", 6L), List.of(), List.of());
        assertThat(RowChanges.of(merge)).isEqualTo(new RowChanges(4, 1, 2, true));
        var overwrite = commit("WRITE", Map.of("numOutputRows", 10L),
                List.of(new DeltaCommit.FileAction("n", true, 10L)), List.of(new DeltaCommit.FileAction("o", true, 8L)));
        assertThat(RowChanges.of(overwrite)).isEqualTo(new RowChanges(10, 8, 0, true));
        var delete = commit("DELETE", Map.of("numDeletedRows", 3L), List.of(), List.of());
        assertThat(RowChanges.of(delete)).isEqualTo(new RowChanges(0, 3, 0, true));
        var optimize = commit("OPTIMIZE", Map.of(), List.of(new DeltaCommit.FileAction("n", false, 10L)),
                List.of(new DeltaCommit.FileAction("o", false, 10L)));
        assertThat(RowChanges.of(optimize)).isEqualTo(new RowChanges(0, 0, 0, true));
        var unknown = commit("STREAMING UPDATE", Map.of(), List.of(new DeltaCommit.FileAction("n", true, 5L)),
                List.of(new DeltaCommit.FileAction("o", true, null)));
        assertThat(RowChanges.of(unknown)).isEqualTo(new RowChanges(5, 0, 0, false));
    }

    @Test
    void trinoWritesWithoutMetricsCountRowsFromFilesAndTheAddsOfRemovedFiles() {
        var ctas = commit("CREATE TABLE AS SELECT", Map.of(), List.of(new DeltaCommit.FileAction("a", true, 2L)),
                List.of());
        assertThat(RowChanges.of(ctas)).isEqualTo(new RowChanges(2, 0, 0, true));
        assertThat(RowChanges.countsRewrittenFiles(ctas)).isFalse();
        // Trino's DELETE: a MERGE without metrics rewriting file "a" (2 rows) as "b" (1 row); removes carry no stats
        var delete = commit("MERGE", Map.of(), List.of(new DeltaCommit.FileAction("b", true, 1L)),
                List.of(new DeltaCommit.FileAction("a", true, null)));
        assertThat(RowChanges.of(delete, path -> path.equals("a") ? 2L : null))
                .isEqualTo(new RowChanges(1, 2, 0, true));
        assertThat(RowChanges.of(delete)).as("the removed file's rows unknown").isEqualTo(new RowChanges(1, 0, 0, false));
        assertThat(RowChanges.countsRewrittenFiles(delete)).isTrue();
    }

    private static DeltaCommit commit(String operation, Map<String, Long> metrics, List<DeltaCommit.FileAction> adds,
                                      List<DeltaCommit.FileAction> removes) {
        return new DeltaCommit(1, T, operation, metrics, adds, removes, null, null);
    }
}

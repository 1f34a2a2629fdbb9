package ch.cern.alice.lakehouse.versioning.store;

import ch.cern.alice.lakehouse.versioning.domain.Commit;
import ch.cern.alice.lakehouse.versioning.domain.CommitIds;
import ch.cern.alice.lakehouse.versioning.testsupport.AbstractServiceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Merge bases in histories deeper than the first search windows, written straight into Postgres. */
class MergeBaseTest extends AbstractServiceTestBase {

    @Autowired
    CommitRepository commits;

    private int sequence;

    @Test
    void findsTheForkPointFarBelowBothTips() {
        Commit root = chain(null, 1);
        Commit fork = chain(root, 30);
        Commit left = chain(fork, 150);
        Commit right = chain(fork, 100);
        assertThat(commits.mergeBase(left.id(), right.id())).hasValue(fork.id());
        assertThat(commits.mergeBase(right.id(), left.id())).hasValue(fork.id());
        assertThat(commits.mergeBase(left.id(), fork.id())).as("ancestor").hasValue(fork.id());
        assertThat(commits.mergeBase(left.id(), left.id())).hasValue(left.id());
    }

    @Test
    void prefersTheNewestCommonAncestorAfterAMerge() {
        Commit fork = chain(null, 5);
        Commit left = chain(fork, 3);
        Commit right = chain(fork, 80);
        Commit merged = write(List.of(left, right));
        Commit leftAgain = chain(merged, 2);
        Commit rightAgain = chain(right, 90);
        assertThat(commits.mergeBase(leftAgain.id(), rightAgain.id())).hasValue(right.id());
        assertThat(commits.mergeBase(chain(null, 1).id(), right.id())).as("unrelated").isEmpty();
    }

    private Commit chain(Commit from, int length) {
        Commit head = from;
        for (int i = 0; i < length; i++) {
            head = write(head == null ? List.of() : List.of(head));
        }
        return head;
    }

    private Commit write(List<Commit> parents) {
        Instant time = CommitIds.commitTime(Instant.now());
        String message = "merge-base test " + sequence++;
        var tables = new TreeMap<String, Long>();
        String id = CommitIds.hash(parents.stream().map(Commit::id).toList(), tables, "test", message, time,
                Map.of());
        Commit commit = new Commit(id, parents.stream().map(Commit::id).toList(),
                1 + parents.stream().mapToInt(Commit::generation).max().orElse(0), "test", message, time, Map.of(),
                tables, new TreeMap<>());
        commits.save(CommitEntity.create(id, parents.isEmpty() ? null : parents.get(0).id(),
                parents.size() > 1 ? parents.get(1).id() : null, commit.generation(), "test", message, time, "{}", "{}",
                "{}", null));
        return commit;
    }
}

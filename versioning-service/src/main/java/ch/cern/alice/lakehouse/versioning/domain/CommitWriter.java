package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.store.BranchMoveEntity;
import ch.cern.alice.lakehouse.versioning.store.BranchMoveRepository;
import ch.cern.alice.lakehouse.versioning.store.BranchRepository;
import ch.cern.alice.lakehouse.versioning.store.CommitRepository;
import ch.cern.alice.lakehouse.versioning.store.JsonColumns;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Writes commits and moves branch heads (callers hold the branch row lock in their transaction). */
@Component
public class CommitWriter {

    private final CommitRepository commits;
    private final BranchRepository branches;
    private final BranchMoveRepository moves;
    private final JsonColumns json;
    private final Clock clock;

    public CommitWriter(CommitRepository commits, BranchRepository branches, BranchMoveRepository moves,
                        JsonColumns json, Clock clock) {
        this.commits = commits;
        this.branches = branches;
        this.moves = moves;
        this.json = json;
        this.clock = clock;
    }

    public Commit write(CommitDraft draft, String etlRunId) {
        Instant time = CommitIds.commitTime(clock.instant());
        var parentIds = draft.parents().stream().map(Commit::id).toList();
        int generation = 1 + draft.parents().stream().mapToInt(Commit::generation).max().orElse(0);
        SortedMap<String, Long> changed = changes(
                draft.parents().isEmpty() ? new TreeMap<>() : draft.parents().get(0).tables(), draft.tables());
        String id = CommitIds.hash(parentIds, draft.tables(), draft.author(), draft.message(), time,
                draft.properties());
        Commit commit = new Commit(id, parentIds, generation, draft.author(), draft.message(), time,
                Map.copyOf(draft.properties()), draft.tables(), changed);
        commits.save(commit.toRow(etlRunId, json));
        return commit;
    }

    /**
     * Moves the head of a branch the caller locked ({@code BranchRepository.lock}) in this transaction: the locked
     * row is in the persistence context, so this reads nothing and the update is written at commit.
     */
    public void moveBranch(String branch, Commit to, String by, String reason) {
        Instant now = clock.instant();
        branches.findById(branch).orElseThrow(() -> new NotFoundException("no branch '" + branch + "'"))
                .moveHead(to.id(), now);
        recordMove(branch, to.id(), now, by, reason);
    }

    /** A reflog entry: the branch points at {@code commitId} from {@code at} on. */
    public void recordMove(String branch, String commitId, Instant at, String by, String reason) {
        moves.save(new BranchMoveEntity(branch, commitId, at, by, reason));
    }

    /** table -> new version (null = removed) for every table whose version differs. */
    public static SortedMap<String, Long> changes(Map<String, Long> before, Map<String, Long> after) {
        SortedMap<String, Long> changed = new TreeMap<>();
        after.forEach((table, version) -> {
            if (!version.equals(before.get(table))) {
                changed.put(table, version);
            }
        });
        before.keySet().stream().filter(t -> !after.containsKey(t)).forEach(t -> changed.put(t, null));
        return changed;
    }
}

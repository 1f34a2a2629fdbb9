package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.store.BranchRepository;
import ch.cern.alice.lakehouse.versioning.store.CommitRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Three-way merge at table level. The merge base is the nearest common ancestor. If the target head is the base the
 * target fast-forwards; if the source is already in the target nothing happens; otherwise every table changed on
 * the source since the base is taken into the target, unless the target changed it too (to another version): then
 * the merge is refused with a conflict report.
 */
@Service
public class MergeService {

    public enum Outcome { FAST_FORWARD, MERGED, UP_TO_DATE }

    public record Result(Outcome outcome, String target, String mergeBase, Commit head) {
    }

    /** A table both sides changed since the merge base (versions null where the table is absent). */
    public record TableConflict(String table, Long base, Long source, Long target) {
    }

    private final BranchRepository branches;
    private final CommitRepository commits;
    private final CommitWriter writer;
    private final RefResolver refs;

    public MergeService(BranchRepository branches, CommitRepository commits, CommitWriter writer, RefResolver refs) {
        this.branches = branches;
        this.commits = commits;
        this.writer = writer;
        this.refs = refs;
    }

    @Transactional
    public Result merge(String sourceRef, String targetBranch, String message, Caller caller) {
        if (sourceRef == null || targetBranch == null) {
            throw new BadRequestException("source (a ref) and target (a branch) are required");
        }
        Branch target = branches.lock(targetBranch).map(Branch::of)
                .orElseThrow(() -> new NotFoundException("no branch '" + targetBranch + "' to merge into"));
        AccessPolicy.requireMayMove(target, caller);
        Commit source = refs.commit(sourceRef);
        Commit head = refs.load(target.head());
        String baseId = commits.mergeBase(source.id(), head.id())
                .orElseThrow(() -> new ConflictException("'" + sourceRef + "' and '" + targetBranch
                        + "' share no history"));
        if (baseId.equals(source.id())) {
            return new Result(Outcome.UP_TO_DATE, targetBranch, baseId, head);
        }
        if (baseId.equals(head.id())) {
            writer.moveBranch(targetBranch, source, caller.name(), "fast-forward to " + sourceRef);
            return new Result(Outcome.FAST_FORWARD, targetBranch, baseId, source);
        }
        Commit base = refs.load(baseId);
        SortedMap<String, Long> sourceChanges = CommitWriter.changes(base.tables(), source.tables());
        SortedMap<String, Long> targetChanges = CommitWriter.changes(base.tables(), head.tables());
        List<TableConflict> conflicts = new ArrayList<>();
        for (String table : new TreeSet<>(sourceChanges.keySet())) {
            if (targetChanges.containsKey(table)
                    && !Objects.equals(sourceChanges.get(table), targetChanges.get(table))) {
                conflicts.add(new TableConflict(table, base.tables().get(table), source.tables().get(table),
                        head.tables().get(table)));
            }
        }
        if (!conflicts.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mergeBase", baseId);
            details.put("conflicts", conflicts);
            throw new ConflictException("merge of '" + sourceRef + "' into '" + targetBranch + "' conflicts on "
                    + conflicts.stream().map(TableConflict::table).toList()
                    + ": both sides changed them since " + base.shortId(), details);
        }
        Commit merged = writer.write(new CommitDraft(List.of(head, source),
                CommitService.apply(head.tables(), sourceChanges), caller.name(),
                message == null || message.isBlank() ? "Merge '" + sourceRef + "' into '" + targetBranch + "'"
                        : message, Map.of("mergeBase", baseId)), null);
        writer.moveBranch(targetBranch, merged, caller.name(), "merge " + sourceRef);
        return new Result(Outcome.MERGED, targetBranch, baseId, merged);
    }
}

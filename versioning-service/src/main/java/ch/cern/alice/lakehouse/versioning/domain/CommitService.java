package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.store.BranchEntity;
import ch.cern.alice.lakehouse.versioning.store.BranchRepository;
import ch.cern.alice.lakehouse.versioning.store.CommitRepository;
import ch.cern.alice.lakehouse.versioning.store.RefNameLocks;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Commits on branches. Each head update runs in one transaction holding the branch's row lock
 * ({@code SELECT ... FOR UPDATE}), so concurrent commits to one branch queue up and none is lost; a caller may also
 * pass {@code expectedHead}, the head's full commit id, for an optimistic check (409 when the branch moved meanwhile).
 */
@Service
public class CommitService {

    public static final String SYSTEM_AUTHOR = "system";

    /** A table the reverted commit set to {@code revertedVersion} that the branch has at another version now. */
    public record RevertConflict(String table, Long revertedVersion, Long branchVersion) {
    }

    public record EtlCommitResult(Commit commit, boolean alreadyRecorded) {
    }

    private final BranchRepository branches;
    private final CommitRepository commits;
    private final CommitWriter writer;
    private final RefResolver refs;
    private final TableVersionValidator validator;
    private final RefNameLocks locks;
    private final Clock clock;

    public CommitService(BranchRepository branches, CommitRepository commits, CommitWriter writer, RefResolver refs,
                         TableVersionValidator validator, RefNameLocks locks, Clock clock) {
        this.branches = branches;
        this.locks = locks;
        this.commits = commits;
        this.writer = writer;
        this.refs = refs;
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * Creates {@code main} with an initial empty commit unless it exists. Safe to run from several instances: the
     * name lock ({@link RefNameLocks}) lets one create it and the others see it.
     */
    @Transactional
    public void ensureMainExists() {
        if (branches.existsById(Names.MAIN)) {
            return;
        }
        locks.lockName(Names.MAIN);
        if (branches.existsById(Names.MAIN)) {
            return;
        }
        Commit root = writer.write(new CommitDraft(List.of(), new TreeMap<>(), SYSTEM_AUTHOR, "initial empty commit",
                Map.of()), null);
        branches.save(BranchEntity.create(Names.MAIN, root.id(), SYSTEM_AUTHOR, clock.instant()));
        writer.recordMove(Names.MAIN, root.id(), root.time(), SYSTEM_AUTHOR, "initial commit");
    }

    public Commit show(String idOrPrefix) {
        return refs.byId(idOrPrefix);
    }

    /**
     * @param tables       table -> version to pin; null removes the table from the branch; tables not named keep theirs
     * @param expectedHead null for no check, else the full id (64 hex characters) the branch head must still be: a
     *                     prefix, an empty string or anything else is refused (400), never read as "any head"
     */
    @Transactional
    public Commit commit(String branchName, String message, Map<String, Long> tables, Map<String, Object> properties,
                         String expectedHead, Caller caller) {
        if (message == null || message.isBlank()) {
            throw new BadRequestException("message must not be empty");
        }
        if (tables == null || tables.isEmpty()) {
            throw new BadRequestException("tables must name at least one table -> Delta version");
        }
        String expected = expectedHead == null ? null : expectedHead.toLowerCase(Locale.ROOT);
        if (expectedHead != null && !CommitIds.isFullId(expected)) {
            throw new BadRequestException("expectedHead must be the branch head's full commit id (64 hex "
                    + "characters), got '" + Names.shown(expectedHead) + "': leave it out to commit without the check");
        }
        // permissions first (a branch's creator never changes), then the S3 look-ups, then the row lock
        Branch current = branches.findById(branchName).map(Branch::of)
                .orElseThrow(() -> new NotFoundException("no branch '" + branchName + "'"));
        AccessPolicy.requireMayMove(current, caller);
        tables.keySet().forEach(table -> AccessPolicy.requireMayPin(current, Names.requireTableName(table), caller));
        validator.validate(tables, true);
        Branch branch = lock(branchName);
        if (expected != null && !branch.head().equals(expected)) {
            throw new ConflictException("branch '" + branchName + "' moved: its head is " + branch.head()
                    + ", not " + expected, Map.of("head", branch.head()));
        }
        Commit head = refs.load(branch.head());
        Commit commit = writer.write(new CommitDraft(List.of(head), apply(head.tables(), tables), caller.name(),
                message, properties == null ? Map.of() : properties), null);
        writer.moveBranch(branchName, commit, caller.name(), "commit");
        return commit;
    }

    /** Advances main after an ETL run; a retried call for the same run returns the commit recorded the first time. */
    @Transactional
    public EtlCommitResult etlCommit(String runId, Map<String, Long> tables, Caller caller) {
        if (runId == null || runId.isBlank()) {
            throw new BadRequestException("runId must not be empty");
        }
        if (tables == null || tables.isEmpty()) {
            throw new BadRequestException("tables must name at least one table -> Delta version");
        }
        validator.validate(tables, false);
        Branch main = lock(Names.MAIN);
        var existing = commits.findIdByEtlRunId(runId);
        if (existing.isPresent()) {
            return new EtlCommitResult(refs.load(existing.get()), true);
        }
        Commit head = refs.load(main.head());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("etlRunId", runId);
        properties.put("source", "etl");
        Commit commit = writer.write(new CommitDraft(List.of(head), apply(head.tables(), tables), caller.name(),
                "ETL run " + runId + ": " + String.join(", ", new TreeMap<>(tables).keySet()), properties), runId);
        writer.moveBranch(Names.MAIN, commit, caller.name(), "etl run " + runId);
        return new EtlCommitResult(commit, false);
    }

    /**
     * A new commit on the branch restoring the tables that {@code commitRef} changed to its first parent's versions.
     * Refused (409) when one of those tables changed again on the branch since.
     */
    @Transactional
    public Commit revert(String commitRef, String branchName, Caller caller) {
        Commit reverted = refs.commit(commitRef);
        if (reverted.parents().isEmpty()) {
            throw new BadRequestException("commit " + reverted.shortId() + " has no parent: nothing to revert to");
        }
        if (reverted.changed().isEmpty()) {
            throw new BadRequestException("commit " + reverted.shortId() + " changed no table: nothing to revert");
        }
        Branch branch = lock(branchName);
        AccessPolicy.requireMayMove(branch, caller);
        Commit head = refs.load(branch.head());
        if (!reverted.id().equals(commits.mergeBase(reverted.id(), head.id()).orElse(null))) {
            throw new BadRequestException("commit " + reverted.shortId() + " is not in the history of branch '"
                    + branchName + "'");
        }
        Commit parent = refs.load(reverted.firstParent());
        Map<String, Long> restore = new TreeMap<>();
        List<RevertConflict> changedSince = new ArrayList<>();
        reverted.changed().forEach((table, version) -> {
            Long now = head.tables().get(table);
            if (!Objects.equals(now, version)) {
                changedSince.add(new RevertConflict(table, version, now));
            }
            restore.put(table, parent.tables().get(table));
        });
        if (!changedSince.isEmpty()) {
            throw new ConflictException("tables " + changedSince.stream().map(RevertConflict::table).toList()
                    + " changed again on '" + branchName + "' after commit " + reverted.shortId()
                    + ": revert those commits first or commit the versions you want",
                    Map.of("conflicts", changedSince));
        }
        Map<String, Object> properties = Map.of("revertOf", reverted.id());
        Commit commit = writer.write(new CommitDraft(List.of(head), apply(head.tables(), restore), caller.name(),
                "Revert \"" + firstLine(reverted.message()) + "\"\n\nThis reverts commit " + reverted.id() + ".",
                properties), null);
        writer.moveBranch(branchName, commit, caller.name(), "revert " + reverted.shortId());
        return commit;
    }

    private Branch lock(String branchName) {
        return branches.lock(branchName).map(Branch::of)
                .orElseThrow(() -> new NotFoundException("no branch '" + branchName + "'"));
    }

    static SortedMap<String, Long> apply(Map<String, Long> base, Map<String, Long> changes) {
        SortedMap<String, Long> result = new TreeMap<>(base);
        changes.forEach((table, version) -> {
            if (version == null) {
                result.remove(table);
            } else {
                result.put(table, version);
            }
        });
        return result;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

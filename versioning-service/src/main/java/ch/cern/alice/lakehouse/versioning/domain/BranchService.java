package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.support.security.Role;
import ch.cern.alice.lakehouse.versioning.store.BranchEntity;
import ch.cern.alice.lakehouse.versioning.store.BranchMoveRepository;
import ch.cern.alice.lakehouse.versioning.store.BranchRepository;
import ch.cern.alice.lakehouse.versioning.store.CommitRepository;
import ch.cern.alice.lakehouse.versioning.store.JsonColumns;
import ch.cern.alice.lakehouse.versioning.store.RefNameLocks;
import ch.cern.alice.lakehouse.versioning.store.TagRepository;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

@Service
public class BranchService {

    public static final int MAX_PAGE_SIZE = 500;

    private final BranchRepository branches;
    private final TagRepository tags;
    private final CommitRepository commits;
    private final RefResolver refs;
    private final BranchMoveRepository moves;
    private final CommitWriter writer;
    private final RefNameLocks locks;
    private final JsonColumns json;
    private final Clock clock;

    public BranchService(BranchRepository branches, TagRepository tags, CommitRepository commits, RefResolver refs,
                         BranchMoveRepository moves, CommitWriter writer, RefNameLocks locks, JsonColumns json,
                         Clock clock) {
        this.branches = branches;
        this.tags = tags;
        this.commits = commits;
        this.refs = refs;
        this.moves = moves;
        this.writer = writer;
        this.locks = locks;
        this.json = json;
        this.clock = clock;
    }

    public List<Branch> list() {
        return branches.findAll(Sort.by("name")).stream().map(Branch::of).toList();
    }

    /**
     * A filtered page of branches (see {@link BranchRepository#search}); blank filters mean any. {@code limit} null
     * = every match (the unpaged listing callers had before pagination).
     */
    public RefPage<Branch> search(String query, String prefix, String owner, String sort, int offset, Integer limit) {
        boolean byUpdate = switch (sort == null ? "name" : sort) {
            case "name" -> false;
            case "updated" -> true;
            default -> throw new BadRequestException("sort must be 'name' or 'updated'");
        };
        if (offset < 0 || (limit != null && (limit < 1 || limit > MAX_PAGE_SIZE))) {
            throw new BadRequestException("offset must be >= 0 and limit between 1 and " + MAX_PAGE_SIZE);
        }
        String q = blankToNull(query);
        String p = blankToNull(prefix);
        String o = blankToNull(owner);
        int size = limit == null ? Integer.MAX_VALUE : limit;
        List<Branch> items = branches.search(q, p, o, byUpdate, offset, size).stream().map(Branch::of).toList();
        long total = limit == null && offset == 0 ? items.size() : branches.count(q, p, o);
        return RefPage.of(items, total, offset, limit == null ? items.size() : limit);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    public Branch get(String name) {
        return branches.findById(name).map(Branch::of)
                .orElseThrow(() -> new NotFoundException("no branch '" + name + "'"));
    }

    /**
     * From a ref, or from where main pointed at {@code fromTimestamp}; from main's head when neither is given. The
     * name must be free among branches and tags and its {@code branch_<name>} schema unused; the name and schema
     * locks make that hold against concurrent creations too (see {@link TagService#create}).
     */
    @Transactional
    public Branch create(String name, String from, String fromTimestamp, Caller caller) {
        Names.requireRefName("branch", name);
        if (from != null && fromTimestamp != null) {
            throw new BadRequestException("give either 'from' (a ref) or 'fromTimestamp', not both");
        }
        locks.lockName(name);
        locks.lockSchema(LakeLayout.branchSchema(name));
        if (tags.existsById(name)) {
            throw new ConflictException("a tag named '" + name + "' exists: branch and tag names must differ");
        }
        requireOwnSchema(name);
        Commit start = fromTimestamp != null
                ? refs.commitAt(RefResolver.parseInstant(fromTimestamp))
                : refs.commit(from == null ? Names.MAIN : from);
        Instant now = clock.instant();
        if (branches.existsById(name)) { // the name lock keeps a concurrent creation of this name out until we commit
            throw new ConflictException("branch '" + name + "' exists already");
        }
        branches.save(BranchEntity.create(name, start.id(), caller.name(), now));
        writer.recordMove(name, start.id(), now, caller.name(), "created from "
                + (fromTimestamp != null ? "main at " + fromTimestamp : from == null ? Names.MAIN : from));
        return get(name);
    }

    /** Whether {@code caller} may commit to the branch (see {@link AccessPolicy#requireMayMove}). */
    public BranchAccess access(String name, Caller caller) {
        Branch branch = get(name);
        String reason = null;
        try {
            if (caller.role().compareTo(Role.RESEARCHER) < 0) {
                throw new ForbiddenException("viewers cannot commit: researchers commit on their own branches");
            }
            AccessPolicy.requireMayMove(branch, caller);
        } catch (ForbiddenException e) {
            reason = e.getMessage();
        }
        return new BranchAccess(branch.name(), branch.head(), branch.createdBy(), LakeLayout.branchSchema(name),
                reason == null, reason);
    }

    @Transactional
    public void delete(String name, Caller caller) {
        if (name.equals(Names.MAIN)) {
            throw new BadRequestException("branch main cannot be deleted");
        }
        Branch branch = branches.lock(name).map(Branch::of)
                .orElseThrow(() -> new NotFoundException("no branch '" + name + "'"));
        if (!caller.isAdmin() && !branch.createdBy().equals(caller.name())) {
            throw new ForbiddenException("branch '" + name + "' belongs to " + branch.createdBy()
                    + ": only its creator or an admin may delete it");
        }
        moves.deleteByBranch(name);
        branches.deleteByName(name);
    }

    /** Two branches whose names differ only in characters other than [a-z0-9_] would share one schema of tables. */
    private void requireOwnSchema(String name) {
        String schema = LakeLayout.branchSchema(name);
        branches.findAllNames().stream()
                .filter(other -> !other.equals(name) && LakeLayout.branchSchema(other).equals(schema))
                .findFirst()
                .ifPresent(other -> {
                    throw new ConflictException("branch '" + other + "' already owns the schema " + schema
                            + " that '" + name + "' would write its derived tables to: choose another name");
                });
    }

    /** First-parent history of the branch, newest first. */
    public List<Commit> log(String name, int page, int size) {
        if (page < 0) {
            throw new BadRequestException("page must be >= 0");
        }
        List<Commit> found = logFrom(name, (long) page * size, size);
        return found.size() > size ? found.subList(0, size) : found;
    }

    /**
     * First-parent history from {@code offset} on: up to {@code size + 1} commits, the last one only telling the
     * caller that more follow.
     */
    public List<Commit> logFrom(String name, long offset, int size) {
        if (offset < 0 || offset > Integer.MAX_VALUE - MAX_PAGE_SIZE - 1 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new BadRequestException("page and offset must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
        }
        Branch branch = get(name);
        return commits.firstParentLog(branch.head(), (int) offset + size + 1, size + 1, (int) offset).stream()
                .map(row -> Commit.of(row, json)).toList();
    }
}

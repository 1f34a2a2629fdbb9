package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.store.BranchMoveEntity;
import ch.cern.alice.lakehouse.versioning.store.BranchMoveRepository;
import ch.cern.alice.lakehouse.versioning.store.BranchRepository;
import ch.cern.alice.lakehouse.versioning.store.CommitRepository;
import ch.cern.alice.lakehouse.versioning.store.JsonColumns;
import ch.cern.alice.lakehouse.versioning.store.TagRepository;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Turns a ref into a commit. A ref is tried in this order:
 * <ol>
 *   <li>{@code ts:<ISO instant>}: where {@code main} pointed at that time;</li>
 *   <li>a full commit id (64 hex characters, either case) of an existing commit: always the commit, even if a
 *       branch or tag created before names were checked carries the same name;</li>
 *   <li>a branch name;</li>
 *   <li>a tag name;</li>
 *   <li>an abbreviated commit id (4 to 63 hex characters, either case) that exactly one commit starts with.</li>
 * </ol>
 * New branch and tag names can be neither hex-like nor contain ':' ({@link Names#requireRefName}), and a branch and a
 * tag never share a name, so only such old names make the order matter. Every commit stores its full table map, so
 * this is one or two primary-key lookups and never walks history.
 */
@Service
public class RefResolver {

    public record Resolved(String ref, String kind, Commit commit) {
    }

    private final BranchRepository branches;
    private final TagRepository tags;
    private final CommitRepository commits;
    private final BranchMoveRepository moves;
    private final JsonColumns json;

    public RefResolver(BranchRepository branches, TagRepository tags, CommitRepository commits,
                       BranchMoveRepository moves, JsonColumns json) {
        this.branches = branches;
        this.tags = tags;
        this.commits = commits;
        this.moves = moves;
        this.json = json;
    }

    public Commit commit(String ref) {
        return resolve(ref).commit();
    }

    public Resolved resolve(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new BadRequestException("ref must not be empty (a branch, tag, commit id or ts:<ISO instant>)");
        }
        if (ref.startsWith("ts:")) {
            Instant at = parseInstant(ref.substring(3));
            return new Resolved(ref, "timestamp", commitAt(at));
        }
        String lower = ref.toLowerCase(Locale.ROOT);
        if (CommitIds.isFullId(lower)) {
            var commit = commits.findById(lower).map(row -> Commit.of(row, json));
            if (commit.isPresent()) {
                return new Resolved(ref, "commit", commit.get());
            }
        }
        var branch = branches.findById(ref);
        if (branch.isPresent()) {
            return new Resolved(ref, "branch", load(branch.get().head()));
        }
        var tag = tags.findById(ref);
        if (tag.isPresent()) {
            return new Resolved(ref, "tag", load(tag.get().commitId()));
        }
        if (CommitIds.looksLikeIdPrefix(lower)) {
            return new Resolved(ref, "commit", byId(ref));
        }
        throw new NotFoundException("no branch, tag or commit named '" + ref + "'");
    }

    /** A commit by full or abbreviated id only. */
    public Commit byId(String idOrPrefix) {
        String lower = idOrPrefix.toLowerCase();
        if (!CommitIds.looksLikeIdPrefix(lower)) {
            throw new BadRequestException("commit id must be 4 to 64 hex characters, got '" + idOrPrefix + "'");
        }
        List<String> ids = commits.idsWithPrefix(lower, 2);
        if (ids.size() > 1) {
            throw new BadRequestException("abbreviated commit id '" + idOrPrefix + "' is ambiguous: use more characters");
        }
        if (ids.isEmpty()) {
            throw new NotFoundException("no commit " + idOrPrefix);
        }
        return load(ids.get(0));
    }

    /** The last commit of {@code main} at or before the instant (where main pointed then). */
    public Commit commitAt(Instant at) {
        String id = moves.findFirstByBranchAndMovedAtLessThanEqualOrderByMovedAtDescIdDesc(Names.MAIN, at)
                .map(BranchMoveEntity::commitId).orElseThrow(() ->
                new NotFoundException("main has no commit at or before " + at));
        return load(id);
    }

    public Commit load(String id) {
        return commits.findById(id).map(row -> Commit.of(row, json)).orElseThrow(() -> new NotFoundException("no commit " + id));
    }

    public static Instant parseInstant(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException("timestamp must be ISO-8601 in UTC like 2026-01-01T00:00:00Z, got '"
                    + text + "'");
        }
    }
}

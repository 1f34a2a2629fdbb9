package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.diff.DiffService;
import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.domain.MergeService;
import ch.cern.alice.lakehouse.versioning.domain.RefListService;
import ch.cern.alice.lakehouse.versioning.domain.RefPage;
import ch.cern.alice.lakehouse.versioning.domain.RefResolver;
import ch.cern.alice.lakehouse.versioning.store.RefListing;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Resolving refs, diffs and merges. */
@RestController
@RequestMapping("/api/v1/versions")
public class RefController {

    public record RefView(String ref, String kind, String commitId, Map<String, Long> tables) {
    }

    public record Merge(String source, String target, String message) {
    }

    public record MergeView(String outcome, String target, String mergeBase, CommitView head) {
    }

    private final RefResolver refs;
    private final DiffService diffs;
    private final MergeService merges;
    private final RefListService listing;

    public RefController(RefResolver refs, DiffService diffs, MergeService merges, RefListService listing) {
        this.refs = refs;
        this.listing = listing;
        this.diffs = diffs;
        this.merges = merges;
    }

    /**
     * Branches and tags for pickers: main, then tags (newest first), then branches by last update (newest first);
     * {@code q} a case-insensitive substring of the name, {@code prefix} a name prefix, {@code owner} the creator,
     * {@code kind} branch or tag.
     */
    @GetMapping("/refs")
    @PreAuthorize("hasRole('VIEWER')")
    public RefPage<RefListing.RefEntry> list(@RequestParam(required = false) String q,
                                             @RequestParam(required = false) String prefix,
                                             @RequestParam(required = false) String owner,
                                             @RequestParam(required = false) String kind,
                                             @RequestParam(defaultValue = "0") int offset,
                                             @RequestParam(defaultValue = "" + RefListService.DEFAULT_LIMIT) int limit) {
        return listing.list(q, prefix, owner, kind, offset, limit);
    }

    @GetMapping("/refs/{ref}")
    @PreAuthorize("hasRole('VIEWER')")
    public RefView resolve(@PathVariable String ref) {
        var resolved = refs.resolve(ref);
        return new RefView(ref, resolved.kind(), resolved.commit().id(), resolved.commit().tables());
    }

    @GetMapping("/diff")
    @PreAuthorize("hasRole('VIEWER')")
    public DiffService.Diff diff(@RequestParam String from, @RequestParam String to) {
        return diffs.diff(from, to);
    }

    @PostMapping("/merge")
    @PreAuthorize("hasRole('RESEARCHER')")
    public MergeView merge(@RequestBody Merge request, Authentication auth) {
        Caller caller = Caller.of(auth);
        var result = merges.merge(request.source(), request.target(), request.message(), caller);
        return new MergeView(result.outcome().name(), result.target(), result.mergeBase(),
                CommitView.of(result.head()));
    }
}

package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.diff.DiffService;
import ch.cern.alice.lakehouse.versioning.domain.Caller;
import ch.cern.alice.lakehouse.versioning.domain.MergeService;
import ch.cern.alice.lakehouse.versioning.domain.RefResolver;
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

    public RefController(RefResolver refs, DiffService diffs, MergeService merges) {
        this.refs = refs;
        this.diffs = diffs;
        this.merges = merges;
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
        Caller caller = Callers.of(auth);
        var result = merges.merge(request.source(), request.target(), request.message(), caller);
        return new MergeView(result.outcome().name(), result.target(), result.mergeBase(),
                CommitView.of(result.head()));
    }
}

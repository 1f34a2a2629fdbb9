package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.domain.Branch;
import ch.cern.alice.lakehouse.versioning.domain.BranchAccess;
import ch.cern.alice.lakehouse.versioning.domain.BadRequestException;
import ch.cern.alice.lakehouse.versioning.domain.BranchService;
import ch.cern.alice.lakehouse.versioning.domain.Commit;
import ch.cern.alice.lakehouse.versioning.domain.RefPage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping("/api/v1/versions/branches")
public class BranchController {

    public record CreateBranch(String name, String from, String fromTimestamp) {
    }

    /** {@code nextOffset}: where the next page starts, null on the last page. */
    public record LogPage(String branch, int page, int size, long offset, boolean hasMore, Long nextOffset,
                          List<CommitView> commits) {
    }

    private final BranchService branches;

    public BranchController(BranchService branches) {
        this.branches = branches;
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    /**
     * Every branch by name when called without parameters (as before pagination). {@code q} a case-insensitive
     * substring of the name, {@code prefix} a name prefix, {@code owner} the creator, {@code sort} name or updated
     * (newest first), {@code limit}/{@code offset} one page: the body stays a list, the headers X-Total-Count and
     * X-Next-Offset (absent on the last page) tell the rest.
     */
    public ResponseEntity<List<Branch>> list(@RequestParam(required = false) String q,
                                             @RequestParam(required = false) String prefix,
                                             @RequestParam(required = false) String owner,
                                             @RequestParam(required = false) String sort,
                                             @RequestParam(defaultValue = "0") int offset,
                                             @RequestParam(required = false) Integer limit) {
        RefPage<Branch> page = branches.search(q, prefix, owner, sort, offset, limit);
        var response = ResponseEntity.ok().header("X-Total-Count", Long.toString(page.total()));
        if (page.nextOffset() != null) {
            response.header("X-Next-Offset", Integer.toString(page.nextOffset()));
        }
        return response.body(page.items());
    }

    @GetMapping("/{name}")
    @PreAuthorize("hasRole('VIEWER')")
    public Branch get(@PathVariable String name) {
        return branches.get(name);
    }

    /** Whether the caller may commit to the branch; query-gateway asks before writing a derived table on it. */
    @GetMapping("/{name}/access")
    @PreAuthorize("hasRole('VIEWER')")
    public BranchAccess access(@PathVariable String name, Authentication auth) {
        return branches.access(name, Caller.of(auth));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('RESEARCHER')")
    public Branch create(@RequestBody CreateBranch request, Authentication auth) {
        return branches.create(request.name(), request.from(), request.fromTimestamp(), Caller.of(auth));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('RESEARCHER')")
    public void delete(@PathVariable String name, Authentication auth) {
        branches.delete(name, Caller.of(auth));
    }

    @GetMapping("/{name}/log")
    @PreAuthorize("hasRole('VIEWER')")
    /** Newest first: {@code page}/{@code size}, or {@code offset}/{@code limit} (which win when given). */
    public LogPage log(@PathVariable String name, @RequestParam(defaultValue = "0") int page,
                       @RequestParam(defaultValue = "50") int size, @RequestParam(required = false) Long offset,
                       @RequestParam(required = false) Integer limit) {
        if (page < 0) {
            throw new BadRequestException("page must be >= 0");
        }
        int n = limit != null ? limit : size;
        long from = offset != null ? offset : (long) page * n;
        List<Commit> found = branches.logFrom(name, from, n);
        boolean more = found.size() > n;
        List<CommitView> commits = (more ? found.subList(0, n) : found).stream().map(CommitView::of).toList();
        return new LogPage(name, page, n, from, more, more ? from + n : null, commits);
    }
}

package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.domain.Branch;
import ch.cern.alice.lakehouse.versioning.domain.BranchAccess;
import ch.cern.alice.lakehouse.versioning.domain.BranchService;
import org.springframework.http.HttpStatus;
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

    public record LogPage(String branch, int page, int size, List<CommitView> commits) {
    }

    private final BranchService branches;

    public BranchController(BranchService branches) {
        this.branches = branches;
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    public List<Branch> list() {
        return branches.list();
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
        return branches.access(name, Callers.of(auth));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('RESEARCHER')")
    public Branch create(@RequestBody CreateBranch request, Authentication auth) {
        return branches.create(request.name(), request.from(), request.fromTimestamp(), Callers.of(auth));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('RESEARCHER')")
    public void delete(@PathVariable String name, Authentication auth) {
        branches.delete(name, Callers.of(auth));
    }

    @GetMapping("/{name}/log")
    @PreAuthorize("hasRole('VIEWER')")
    public LogPage log(@PathVariable String name, @RequestParam(defaultValue = "0") int page,
                       @RequestParam(defaultValue = "50") int size) {
        return new LogPage(name, page, size, branches.log(name, page, size).stream().map(CommitView::of).toList());
    }
}

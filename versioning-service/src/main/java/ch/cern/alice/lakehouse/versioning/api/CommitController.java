package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.domain.CommitService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

@RestController
@RequestMapping("/api/v1/versions")
public class CommitController {

    /** @param expectedHead optional: refuse (409) unless the branch head is still this commit */
    public record CreateCommit(String branch, String message, Map<String, Long> tables, Map<String, Object> properties,
                               String expectedHead) {
    }

    public record Revert(String branch) {
    }

    public record EtlCommit(String runId, Map<String, Long> tables) {
    }

    public record EtlCommitResponse(String runId, boolean alreadyRecorded, CommitView commit) {
    }

    private final CommitService commits;

    public CommitController(CommitService commits) {
        this.commits = commits;
    }

    @PostMapping("/commits")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('RESEARCHER')")
    public CommitView commit(@RequestBody CreateCommit request, Authentication auth) {
        return CommitView.of(commits.commit(request.branch(), request.message(), request.tables(),
                request.properties(), request.expectedHead(), Caller.of(auth)));
    }

    @GetMapping("/commits/{id}")
    @PreAuthorize("hasRole('VIEWER')")
    public CommitView show(@PathVariable String id) {
        return CommitView.of(commits.show(id));
    }

    @PostMapping("/commits/{id}/revert")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('RESEARCHER')")
    public CommitView revert(@PathVariable String id, @RequestBody Revert request, Authentication auth) {
        return CommitView.of(commits.revert(id, request.branch() == null ? "main" : request.branch(),
                Caller.of(auth)));
    }

    /** Called by etl-service after each successful run; idempotent per runId (200 on a repeat, 201 first time). */
    @PostMapping("/internal/etl-commit")
    @PreAuthorize("hasAnyRole('ADMIN', 'SERVICE')")
    public ResponseEntity<EtlCommitResponse> etlCommit(@RequestBody EtlCommit request, Authentication auth) {
        var result = commits.etlCommit(request.runId(), request.tables(), Caller.of(auth));
        return ResponseEntity.status(result.alreadyRecorded() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new EtlCommitResponse(request.runId(), result.alreadyRecorded(),
                        CommitView.of(result.commit())));
    }
}

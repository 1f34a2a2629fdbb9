package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.saved.SavedQuery;
import ch.cern.alice.lakehouse.query.saved.SavedQueryInput;
import ch.cern.alice.lakehouse.query.saved.SavedQueryService;
import ch.cern.alice.lakehouse.support.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/v1/saved-queries")
public class SavedQueryController {

    private final SavedQueryService saved;

    public SavedQueryController(SavedQueryService saved) {
        this.saved = saved;
    }

    public record RunRequest(Map<String, Object> parameters, String ref, Integer maxRows) {
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    public List<SavedQuery> list() {
        return saved.all();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('VIEWER')")
    public SavedQuery get(@PathVariable long id) {
        return saved.get(id);
    }

    @PostMapping
    @PreAuthorize("hasRole('RESEARCHER')")
    public ResponseEntity<SavedQuery> create(@RequestBody SavedQueryInput body, Authentication auth) {
        return ResponseEntity.status(HttpStatus.CREATED).body(saved.create(body, auth.getName()));
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('RESEARCHER')")
    public SavedQuery update(@PathVariable long id, @RequestBody SavedQueryInput body, Authentication auth) {
        Caller caller = Caller.of(auth);
        return saved.update(id, body, caller.name(), caller.isAdmin());
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('RESEARCHER')")
    public ResponseEntity<Void> delete(@PathVariable long id, Authentication auth) {
        Caller caller = Caller.of(auth);
        saved.delete(id, caller.name(), caller.isAdmin());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/run")
    @PreAuthorize("hasRole('VIEWER')")
    public ResponseEntity<Map<String, String>> run(@PathVariable long id, @RequestBody(required = false) RunRequest body,
                                                   Authentication auth) {
        RunRequest r = body == null ? new RunRequest(Map.of(), null, null) : body;
        QueryExecution q = saved.run(id, r.parameters(), r.ref(), r.maxRows(), auth.getName());
        return ResponseEntity.accepted().body(Map.of("id", q.id(), "status", q.status().name()));
    }
}

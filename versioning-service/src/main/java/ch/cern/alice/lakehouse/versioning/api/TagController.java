package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.domain.Tag;
import ch.cern.alice.lakehouse.versioning.domain.TagService;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping("/api/v1/versions/tags")
public class TagController {

    public record CreateTag(String name, String ref, String message) {
    }

    private final TagService tags;

    public TagController(TagService tags) {
        this.tags = tags;
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    public List<Tag> list() {
        return tags.list();
    }

    @GetMapping("/{name}")
    @PreAuthorize("hasRole('VIEWER')")
    public Tag get(@PathVariable String name) {
        return tags.get(name);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('RESEARCHER')")
    public Tag create(@RequestBody CreateTag request, Authentication auth) {
        return tags.create(request.name(), request.ref(), request.message(), Caller.of(auth));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    public void delete(@PathVariable String name) {
        tags.delete(name);
    }
}

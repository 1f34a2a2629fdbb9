package ch.cern.alice.lakehouse.support.security.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** A service built on service-support with one endpoint per kind of rule the real services use. */
@SpringBootApplication
@RestController
public class SecuredExampleService {

    @GetMapping("/api/v1/examples")
    @PreAuthorize("hasRole('VIEWER')")
    public String list() {
        return "[]";
    }

    @PostMapping("/api/v1/examples")
    @PreAuthorize("hasRole('RESEARCHER')")
    public String create() {
        return "{}";
    }

    /** Like "only the owner may delete": the service itself answers 403. */
    @DeleteMapping("/api/v1/examples/{id}")
    @PreAuthorize("hasRole('RESEARCHER')")
    public void delete(@PathVariable String id) {
        throw new ResponseStatusException(HttpStatus.FORBIDDEN, "example " + id + " belongs to someone else");
    }

    /** Like etl-service's callbacks: for service accounts (and admins). */
    @PostMapping("/api/v1/internal/refresh")
    @PreAuthorize("hasRole('SERVICE')")
    public String refresh() {
        return "{\"refreshed\":true}";
    }
}

package ch.cern.alice.lakehouse.support.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The smallest service built on service-support, for tests of what every service inherits. */
@SpringBootApplication
@RestController
public class ExampleService {

    @GetMapping("/api/v1/examples")
    @PreAuthorize("hasRole('VIEWER')")
    public String examples() {
        return "[]";
    }
}

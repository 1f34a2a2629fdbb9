package ch.cern.alice.lakehouse.etl.freshness;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/etl/freshness}: how fresh each dataset is at {@code main}; viewers and above. */
@RestController
public class FreshnessController {

    private final FreshnessService freshness;

    public FreshnessController(FreshnessService freshness) {
        this.freshness = freshness;
    }

    @GetMapping("/api/v1/etl/freshness")
    @PreAuthorize("hasRole('VIEWER')")
    public FreshnessReport freshness() {
        return freshness.report();
    }
}

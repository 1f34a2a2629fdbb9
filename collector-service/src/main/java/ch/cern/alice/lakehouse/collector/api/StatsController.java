package ch.cern.alice.lakehouse.collector.api;

import ch.cern.alice.lakehouse.collector.stats.CollectorStats;
import ch.cern.alice.lakehouse.collector.stats.StatsSnapshot;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/stats}: accepted/rejected record counts per site and dataset since start. No key needed. */
@RestController
class StatsController {

    private final CollectorStats stats;

    StatsController(CollectorStats stats) {
        this.stats = stats;
    }

    @GetMapping("/api/v1/stats")
    StatsSnapshot stats() {
        return stats.snapshot();
    }
}

package ch.cern.alice.lakehouse.etl.freshness;

import java.time.Instant;
import java.util.List;

/** Body of {@code GET /api/v1/etl/freshness}. */
public record FreshnessReport(Instant asOf, long staleAfterSeconds, List<DatasetFreshness> datasets) {
}

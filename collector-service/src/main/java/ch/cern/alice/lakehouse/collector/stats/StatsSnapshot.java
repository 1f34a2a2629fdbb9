package ch.cern.alice.lakehouse.collector.stats;

import java.time.Instant;
import java.util.List;

/** Body of {@code GET /api/v1/stats}. */
public record StatsSnapshot(Instant since, Totals totals, List<Entry> sites) {

    static StatsSnapshot of(Instant since, List<Entry> entries) {
        Totals totals = new Totals(
                entries.stream().mapToLong(Entry::accepted).sum(),
                entries.stream().mapToLong(Entry::rejected).sum(),
                entries.stream().mapToLong(Entry::duplicates).sum(),
                entries.stream().mapToLong(Entry::unacknowledged).sum());
        return new StatsSnapshot(since, totals, entries);
    }

    public record Totals(long accepted, long rejected, long duplicates, long unacknowledged) {
    }

    /** Counts of one site for one dataset. */
    public record Entry(String site, String dataset, long accepted, long rejected, long duplicates,
                        long unacknowledged) {
    }
}

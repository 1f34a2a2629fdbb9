package ch.cern.alice.lakehouse.collector.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Record counts per site and dataset since start, kept for {@code GET /api/v1/stats} and exported to Micrometer as
 * {@code lakehouse_collector_records_total{site,dataset,outcome}}. Outcomes: {@code accepted} (acknowledged by
 * Kafka), {@code rejected} (failed validation, over the record size limit, or refused by Kafka for their content),
 * {@code duplicate} (repeated an earlier record of the same request, published once), {@code unacknowledged}
 * (valid, but Kafka did not acknowledge them in time: the site got 503 and sends them again).
 * <p>
 * The same counts are also kept per hour until {@link FiguresReporter} takes them ({@link #drainHourly()}) and sends
 * them to ingest-service, which keeps them durably ({@code ingest.figures}): these in-memory counts start again at
 * every restart, the durable ones do not.
 */
public final class CollectorStats {

    static final String RECORDS_METER = "lakehouse.collector.records";

    private final MeterRegistry registry;
    private final Instant startedAt = Instant.now();
    private final ConcurrentMap<SiteDataset, Counts> counts = new ConcurrentHashMap<>();
    /** Not reported yet: (hour, site, dataset) -> received, accepted, rejected, duplicates, unacknowledged. */
    private Map<HourlyKey, long[]> hourly = new HashMap<>();

    public CollectorStats(MeterRegistry registry) {
        this.registry = registry;
    }

    public void recordOutcome(String site, String dataset, int accepted, int rejected, int duplicates) {
        Counts c = countsOf(site, dataset);
        c.accepted.add(accepted, c.acceptedMeter);
        c.rejected.add(rejected, c.rejectedMeter);
        c.duplicates.add(duplicates, c.duplicateMeter);
        addHourly(site, dataset, accepted + rejected + duplicates, accepted, rejected, duplicates, 0);
    }

    public void recordUnacknowledged(String site, String dataset, int records) {
        Counts c = countsOf(site, dataset);
        c.unacknowledged.add(records, c.unacknowledgedMeter);
        addHourly(site, dataset, records, 0, 0, 0, records);
    }

    /** Per-hour counts since the last call, taken out (the next call starts from zero). */
    public synchronized Map<HourlyKey, long[]> drainHourly() {
        Map<HourlyKey, long[]> taken = hourly;
        hourly = new HashMap<>();
        return taken;
    }

    /** Puts back counts that could not be reported, to go with the next report. */
    public synchronized void restoreHourly(Map<HourlyKey, long[]> notReported) {
        notReported.forEach((key, values) -> {
            long[] current = hourly.computeIfAbsent(key, k -> new long[5]);
            for (int i = 0; i < current.length; i++) {
                current[i] += values[i];
            }
        });
    }

    private synchronized void addHourly(String site, String dataset, long received, long accepted, long rejected,
                                        long duplicates, long unacknowledged) {
        if (received <= 0) {
            return;
        }
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long[] v = hourly.computeIfAbsent(new HourlyKey(hour, site, dataset), k -> new long[5]);
        v[0] += received;
        v[1] += accepted;
        v[2] += rejected;
        v[3] += duplicates;
        v[4] += unacknowledged;
    }

    /** Key of the per-hour counts. */
    public record HourlyKey(Instant hour, String site, String dataset) {
    }

    public StatsSnapshot snapshot() {
        List<StatsSnapshot.Entry> entries = counts.entrySet().stream()
                .sorted(Comparator.comparing((java.util.Map.Entry<SiteDataset, Counts> e) -> e.getKey().site())
                        .thenComparing(e -> e.getKey().dataset()))
                .map(e -> new StatsSnapshot.Entry(e.getKey().site(), e.getKey().dataset(),
                        e.getValue().accepted.sum(), e.getValue().rejected.sum(), e.getValue().duplicates.sum(),
                        e.getValue().unacknowledged.sum()))
                .toList();
        return StatsSnapshot.of(startedAt, entries);
    }

    private Counts countsOf(String site, String dataset) {
        return counts.computeIfAbsent(new SiteDataset(site, dataset), key -> new Counts(
                meter(key, "accepted"), meter(key, "rejected"), meter(key, "duplicate"), meter(key, "unacknowledged")));
    }

    private Counter meter(SiteDataset key, String outcome) {
        return Counter.builder(RECORDS_METER)
                .description("Records received by the collector, by sending site, dataset and outcome")
                .tag("site", key.site()).tag("dataset", key.dataset()).tag("outcome", outcome)
                .register(registry);
    }

    private record SiteDataset(String site, String dataset) {
    }

    private static final class Counts {
        final Tally accepted = new Tally();
        final Tally rejected = new Tally();
        final Tally duplicates = new Tally();
        final Tally unacknowledged = new Tally();
        final Counter acceptedMeter;
        final Counter rejectedMeter;
        final Counter duplicateMeter;
        final Counter unacknowledgedMeter;

        Counts(Counter acceptedMeter, Counter rejectedMeter, Counter duplicateMeter, Counter unacknowledgedMeter) {
            this.acceptedMeter = acceptedMeter;
            this.rejectedMeter = rejectedMeter;
            this.duplicateMeter = duplicateMeter;
            this.unacknowledgedMeter = unacknowledgedMeter;
        }
    }

    private static final class Tally {
        private final LongAdder sum = new LongAdder();

        void add(int n, Counter meter) {
            if (n > 0) {
                sum.add(n);
                meter.increment(n);
            }
        }

        long sum() {
            return sum.sum();
        }
    }
}

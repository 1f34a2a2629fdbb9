package ch.cern.alice.lakehouse.ingest.api;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.consume.RetryBackoff;
import ch.cern.alice.lakehouse.ingest.figures.Figures;
import ch.cern.alice.lakehouse.ingest.figures.FiguresRepository;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterStore;
import ch.cern.alice.lakehouse.ingest.metrics.ConsumerLagMonitor;
import ch.cern.alice.lakehouse.ingest.metrics.IngestMetrics;
import ch.cern.alice.lakehouse.ingest.staging.StagedRowCounts;
import org.springframework.dao.DataAccessException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Read-only ingest figures for operators and the web UI. */
@RestController
@RequestMapping("/api/v1/ingest")
public class IngestStatsController {

    private final DatasetCatalog catalog;
    private final IngestMetrics metrics;
    private final ConsumerLagMonitor lag;
    private final StagedRowCounts stagedRows;
    private final RetryBackoff backoff;
    private final DeadLetterStore deadLetters;
    private final FiguresRepository figures;

    public IngestStatsController(DatasetCatalog catalog, IngestMetrics metrics, ConsumerLagMonitor lag,
                                 StagedRowCounts stagedRows, RetryBackoff backoff, DeadLetterStore deadLetters,
                                 FiguresRepository figures) {
        this.figures = figures;
        this.catalog = catalog;
        this.metrics = metrics;
        this.lag = lag;
        this.stagedRows = stagedRows;
        this.backoff = backoff;
        this.deadLetters = deadLetters;
    }

    @GetMapping("/stats")
    public IngestStats stats() {
        Map<String, Long> staged = null;
        List<String> countErrors = new ArrayList<>();
        try {
            staged = stagedRows.perDataset();
        } catch (DataAccessException e) {
            countErrors.add("staged rows cannot be counted: " + e.getMostSpecificCause().getMessage());
        }
        Map<String, DeadLetterStore.Pending> pending = null;
        try {
            pending = deadLetters.pending();
        } catch (DataAccessException e) {
            countErrors.add("pending dead letters cannot be counted: " + e.getMostSpecificCause().getMessage());
        }
        Map<String, Long> written = metrics.rowsWrittenPerDataset();
        Map<String, Long> updated = metrics.rowsUpdatedPerDataset();
        Map<String, Long> duplicates = metrics.duplicatesDroppedPerDataset();
        Map<String, Long> stale = metrics.staleDroppedPerDataset();
        Map<String, Long> dead = metrics.deadLettersPerDataset();
        Instant countingSince = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        try {
            // durable: the same after a restart (ingest.figures); the in-memory counters only if it cannot be read
            Figures durable = figures.read();
            written = new java.util.HashMap<>();
            updated = new java.util.HashMap<>();
            duplicates = new java.util.HashMap<>();
            stale = new java.util.HashMap<>();
            dead = new java.util.HashMap<>();
            for (Figures.DatasetFigures d : durable.datasets()) {
                Figures.Counts total = d.windows().total();
                written.put(d.dataset(), total.stagedNew());
                updated.put(d.dataset(), total.stagedUpdated());
                duplicates.put(d.dataset(), total.duplicates());
                stale.put(d.dataset(), total.stale());
                dead.put(d.dataset(), total.deadLetters());
            }
            if (durable.since() != null) {
                countingSince = durable.since();
            }
        } catch (DataAccessException e) {
            countErrors.add("durable figures cannot be read (counts since this instance started): "
                    + e.getMostSpecificCause().getMessage());
        }
        Map<String, Long> lags = lag.lagByDataset();

        List<IngestStats.DatasetStats> perDataset = new ArrayList<>();
        for (String dataset : catalog.names()) {
            DeadLetterStore.Pending waiting = pending == null ? null
                    : pending.getOrDefault(dataset, new DeadLetterStore.Pending(0, null));
            perDataset.add(new IngestStats.DatasetStats(dataset,
                    staged == null ? null : staged.getOrDefault(dataset, 0L),
                    written.getOrDefault(dataset, 0L), updated.getOrDefault(dataset, 0L),
                    duplicates.getOrDefault(dataset, 0L), stale.getOrDefault(dataset, 0L),
                    dead.getOrDefault(dataset, 0L), waiting == null ? null : waiting.count(),
                    waiting == null ? null : waiting.oldestFirstSeen(), lags.get(dataset)));
        }
        IngestStats.Totals totals = new IngestStats.Totals(
                staged == null ? null : staged.values().stream().mapToLong(Long::longValue).sum(),
                sum(written), sum(updated), sum(duplicates), sum(stale), sum(dead),
                pending == null ? null : pending.values().stream().mapToLong(DeadLetterStore.Pending::count).sum(),
                lags.isEmpty() ? null : sum(lags));
        IngestStats.Staging staging = new IngestStats.Staging(backoff.failingSince() == null,
                backoff.failingSince(), backoff.lastError(),
                countErrors.isEmpty() ? null : String.join("; ", countErrors));
        return new IngestStats(perDataset, totals, countingSince, lag.measuredAt(), staging);
    }

    /**
     * Durable figures per dataset and site for this hour, the last 24 hours and in total: what the collector
     * received, accepted and rejected, what ingest staged, dropped and dead-lettered. Survives restarts.
     */
    @GetMapping("/figures")
    public Figures figures() {
        return figures.read();
    }

    private static long sum(Map<String, Long> values) {
        return values.values().stream().mapToLong(Long::longValue).sum();
    }
}

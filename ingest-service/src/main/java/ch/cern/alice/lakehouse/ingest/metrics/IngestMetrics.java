package ch.cern.alice.lakehouse.ingest.metrics;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.staging.BatchOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest figures exported to Prometheus; the counters also feed {@code GET /api/v1/ingest/stats} (they count
 * since this process started). Rates come from the counters, e.g.
 * {@code rate(lakehouse_ingest_rows_written_total[1m])}.
 */
@Component
public class IngestMetrics {

    public static final String ROWS_WRITTEN = "lakehouse.ingest.rows.written";
    public static final String ROWS_UPDATED = "lakehouse.ingest.rows.updated";
    public static final String DUPLICATES_DROPPED = "lakehouse.ingest.duplicates.dropped";
    public static final String STALE_DROPPED = "lakehouse.ingest.stale.dropped";
    public static final String DEAD_LETTERS = "lakehouse.ingest.dead.letters";
    public static final String BATCH_WRITE = "lakehouse.ingest.batch.write";
    public static final String BATCH_FAILURES = "lakehouse.ingest.batch.failures";

    private final MeterRegistry registry;
    private final Map<String, Counter> rowsWritten = new ConcurrentHashMap<>();
    private final Map<String, Counter> rowsUpdated = new ConcurrentHashMap<>();
    private final Map<String, Counter> duplicatesDropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> staleDropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Timer batchWrite;
    private final Counter batchFailures;

    public IngestMetrics(MeterRegistry registry, DatasetCatalog catalog) {
        this.registry = registry;
        this.batchWrite = Timer.builder(BATCH_WRITE)
                .description("Time to write one polled batch into staging (one transaction)")
                .publishPercentileHistogram()
                .register(registry);
        this.batchFailures = Counter.builder(BATCH_FAILURES)
                .description("Batches not committed because staging or the DLQ was unavailable (re-polled later)")
                .register(registry);
        catalog.names().forEach(dataset -> {
            rowsWritten(dataset);
            rowsUpdated(dataset);
            duplicatesDropped(dataset);
            staleDropped(dataset);
            deadLetters(dataset);
        });
    }

    public void recordWrite(Duration took, BatchOutcome outcome) {
        batchWrite.record(took);
        outcome.insertedByDataset().forEach((dataset, n) -> rowsWritten(dataset).increment(n));
        outcome.updatedByDataset().forEach((dataset, n) -> rowsUpdated(dataset).increment(n));
        outcome.duplicatesByDataset().forEach((dataset, n) -> duplicatesDropped(dataset).increment(n));
        outcome.staleByDataset().forEach((dataset, n) -> staleDropped(dataset).increment(n));
    }

    public void recordDeadLetter(String dataset) {
        deadLetters(dataset).increment();
    }

    public void recordBatchFailure() {
        batchFailures.increment();
    }

    public Map<String, Long> rowsWrittenPerDataset() {
        return snapshot(rowsWritten);
    }

    public Map<String, Long> rowsUpdatedPerDataset() {
        return snapshot(rowsUpdated);
    }

    public Map<String, Long> duplicatesDroppedPerDataset() {
        return snapshot(duplicatesDropped);
    }

    public Map<String, Long> staleDroppedPerDataset() {
        return snapshot(staleDropped);
    }

    public Map<String, Long> deadLettersPerDataset() {
        return snapshot(deadLetters);
    }

    private static Map<String, Long> snapshot(Map<String, Counter> counters) {
        Map<String, Long> values = new ConcurrentHashMap<>();
        counters.forEach((dataset, counter) -> values.put(dataset, (long) counter.count()));
        return values;
    }

    private Counter rowsWritten(String dataset) {
        return rowsWritten.computeIfAbsent(dataset, d -> Counter.builder(ROWS_WRITTEN)
                .description("Rows newly staged").tag("dataset", d).register(registry));
    }

    private Counter rowsUpdated(String dataset) {
        return rowsUpdated.computeIfAbsent(dataset, d -> Counter.builder(ROWS_UPDATED)
                .description("Staged rows replaced by a newer record of their dedup key").tag("dataset", d)
                .register(registry));
    }

    private Counter duplicatesDropped(String dataset) {
        return duplicatesDropped.computeIfAbsent(dataset, d -> Counter.builder(DUPLICATES_DROPPED)
                .description("Records dropped because the very same record is staged (a re-delivery)")
                .tag("dataset", d).register(registry));
    }

    private Counter staleDropped(String dataset) {
        return staleDropped.computeIfAbsent(dataset, d -> Counter.builder(STALE_DROPPED)
                .description("Records dropped because a newer record of their dedup key is staged or in the batch")
                .tag("dataset", d).register(registry));
    }

    private Counter deadLetters(String dataset) {
        return deadLetters.computeIfAbsent(dataset, d -> Counter.builder(DEAD_LETTERS)
                .description("Poison records sent to lakehouse.dlq").tag("dataset", d).register(registry));
    }
}

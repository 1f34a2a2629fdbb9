package ch.cern.alice.lakehouse.ingest.staging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a staging write did with a batch. Every row of the batch is counted once: inserted, updated, duplicate, stale
 * or rejected.
 *
 * @param insertedByDataset   rows staged under a key not staged before, per dataset
 * @param updatedByDataset    rows that replaced the older staged row of their key (with a new id), per dataset
 * @param duplicatesByDataset rows dropped per dataset because the row kept for their key is the same record by the
 *                            update rule (a re-delivery: same order value, receive time and Kafka position)
 * @param staleByDataset      rows dropped per dataset because the row kept for their key is newer (staged before, or
 *                            later in the same batch)
 * @param rejected            rows the database refused on their own (bad bytes, oversized key...): they go to the
 *                            DLQ; index = position in the written list
 */
public record BatchOutcome(Map<String, Long> insertedByDataset, Map<String, Long> updatedByDataset,
                           Map<String, Long> duplicatesByDataset, Map<String, Long> staleByDataset,
                           List<RejectedRow> rejected) {

    public record RejectedRow(int index, String reason) {
    }

    static BatchOutcome empty() {
        return new BatchOutcome(Map.of(), Map.of(), Map.of(), Map.of(), List.of());
    }

    static BatchOutcome rejectedOnly(int index, String reason) {
        return new BatchOutcome(Map.of(), Map.of(), Map.of(), Map.of(), List.of(new RejectedRow(index, reason)));
    }

    public long inserted() {
        return sum(insertedByDataset);
    }

    public long updated() {
        return sum(updatedByDataset);
    }

    public long duplicates() {
        return sum(duplicatesByDataset);
    }

    public long stale() {
        return sum(staleByDataset);
    }

    /** Combines this outcome with the one of the rows that followed, whose indexes start at {@code offset}. */
    BatchOutcome plus(BatchOutcome following, int offset) {
        List<RejectedRow> all = new ArrayList<>(rejected);
        following.rejected.forEach(r -> all.add(new RejectedRow(r.index() + offset, r.reason())));
        return new BatchOutcome(merge(insertedByDataset, following.insertedByDataset),
                merge(updatedByDataset, following.updatedByDataset),
                merge(duplicatesByDataset, following.duplicatesByDataset),
                merge(staleByDataset, following.staleByDataset), all);
    }

    /** This outcome with rows dropped before the write (older or repeated in the batch) counted in. */
    BatchOutcome withDroppedInBatch(Map<String, Long> duplicates, Map<String, Long> stale) {
        return new BatchOutcome(insertedByDataset, updatedByDataset, merge(duplicatesByDataset, duplicates),
                merge(staleByDataset, stale), rejected);
    }

    private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> merged = new HashMap<>(a);
        b.forEach((k, v) -> merged.merge(k, v, Long::sum));
        return merged;
    }

    private static long sum(Map<String, Long> values) {
        return values.values().stream().mapToLong(Long::longValue).sum();
    }
}

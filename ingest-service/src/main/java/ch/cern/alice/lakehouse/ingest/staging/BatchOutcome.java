package ch.cern.alice.lakehouse.ingest.staging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a staging write did with a batch.
 *
 * @param insertedByDataset   rows newly staged per dataset
 * @param duplicatesByDataset rows dropped per dataset because their (dataset, dedup key) was already staged
 * @param rejected            rows the database refused on their own (bad bytes, oversized key...): they go to the
 *                            DLQ; index = position in the written list
 */
public record BatchOutcome(Map<String, Long> insertedByDataset, Map<String, Long> duplicatesByDataset,
                           List<RejectedRow> rejected) {

    public record RejectedRow(int index, String reason) {
    }

    static BatchOutcome rejectedOnly(int index, String reason) {
        return new BatchOutcome(Map.of(), Map.of(), List.of(new RejectedRow(index, reason)));
    }

    public long inserted() {
        return insertedByDataset.values().stream().mapToLong(Long::longValue).sum();
    }

    public long duplicates() {
        return duplicatesByDataset.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Combines this outcome with the one of the rows that followed, whose indexes start at {@code offset}. */
    BatchOutcome plus(BatchOutcome following, int offset) {
        Map<String, Long> inserted = new HashMap<>(insertedByDataset);
        following.insertedByDataset.forEach((k, v) -> inserted.merge(k, v, Long::sum));
        Map<String, Long> duplicates = new HashMap<>(duplicatesByDataset);
        following.duplicatesByDataset.forEach((k, v) -> duplicates.merge(k, v, Long::sum));
        List<RejectedRow> all = new ArrayList<>(rejected);
        following.rejected.forEach(r -> all.add(new RejectedRow(r.index() + offset, r.reason())));
        return new BatchOutcome(inserted, duplicates, all);
    }
}

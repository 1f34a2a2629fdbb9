package ch.cern.alice.lakehouse.simulator.send;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records waiting to be sent, grouped by (site, dataset) because a request carries one dataset and one site's key.
 * A group is handed out when it is full or has waited too long. One per sender thread: not thread-safe.
 */
public final class BatchBuffer {

    /** A batch ready to post. */
    public record Batch(String site, String dataset, List<Map<String, Object>> records) {
    }

    private record Group(List<Map<String, Object>> records, long firstAddedNanos) {
    }

    private final int batchSize;
    private final long maxWaitNanos;
    private final Map<String, Group> groups = new HashMap<>();

    public BatchBuffer(int batchSize, long maxWaitMillis) {
        this.batchSize = batchSize;
        this.maxWaitNanos = maxWaitMillis * 1_000_000L;
    }

    /** Adds a record; returns the group's batch if it is now full, else null. */
    public Batch add(String site, String dataset, Map<String, Object> record) {
        String key = site + '\u0000' + dataset;
        Group g = groups.computeIfAbsent(key, k -> new Group(new ArrayList<>(batchSize), System.nanoTime()));
        g.records().add(record);
        if (g.records().size() >= batchSize) {
            groups.remove(key);
            return new Batch(site, dataset, g.records());
        }
        return null;
    }

    /** Batches that waited longer than the max wait (all of them if {@code all}). */
    public List<Batch> drain(boolean all) {
        long now = System.nanoTime();
        List<Batch> out = new ArrayList<>();
        groups.entrySet().removeIf(e -> {
            if (all || now - e.getValue().firstAddedNanos() >= maxWaitNanos) {
                String[] parts = e.getKey().split("\u0000", 2);
                out.add(new Batch(parts[0], parts[1], e.getValue().records()));
                return true;
            }
            return false;
        });
        return out;
    }

    public int pendingRecords() {
        return groups.values().stream().mapToInt(g -> g.records().size()).sum();
    }
}

package ch.cern.alice.lakehouse.ingest.figures;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a staging transaction did per dataset and site (inserted, updated, duplicate, stale), added to
 * {@code ingest.figures} for the current hour by {@link #addTo(Connection)} inside that same transaction, so the
 * figures are exactly as durable as the staged rows: a rolled-back batch counts nothing, a re-delivered one counts
 * its rows as duplicates. Not thread-safe: one per transaction.
 */
public final class StagingFigures {

    static final String UPSERT = """
            INSERT INTO ingest.figures AS f (hour, dataset, site, staged_inserted, staged_updated, staged_duplicates,
                                             staged_stale)
            VALUES (date_trunc('hour', now()), ?, ?, ?, ?, ?, ?)
            ON CONFLICT (hour, dataset, site) DO UPDATE SET
                staged_inserted = f.staged_inserted + excluded.staged_inserted,
                staged_updated = f.staged_updated + excluded.staged_updated,
                staged_duplicates = f.staged_duplicates + excluded.staged_duplicates,
                staged_stale = f.staged_stale + excluded.staged_stale""";

    /** Sorted, so that concurrent transactions lock the figure rows in the same order (no deadlock). */
    private final Map<Key, long[]> counts = new TreeMap<>();

    public record Key(String dataset, String site) implements Comparable<Key> {
        public Key {
            site = site == null ? "" : site;
        }

        @Override
        public int compareTo(Key o) {
            int c = dataset.compareTo(o.dataset);
            return c != 0 ? c : site.compareTo(o.site);
        }
    }

    public void inserted(String dataset, String site, long n) {
        add(dataset, site, 0, n);
    }

    public void updated(String dataset, String site, long n) {
        add(dataset, site, 1, n);
    }

    public void duplicates(String dataset, String site, long n) {
        add(dataset, site, 2, n);
    }

    public void stale(String dataset, String site, long n) {
        add(dataset, site, 3, n);
    }

    public StagingFigures plus(StagingFigures other) {
        StagingFigures sum = new StagingFigures();
        counts.forEach((k, v) -> sum.merge(k, v));
        other.counts.forEach((k, v) -> sum.merge(k, v));
        return sum;
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** Count of one kind (0 inserted, 1 updated, 2 duplicates, 3 stale) for a dataset and site; for tests. */
    public long count(String dataset, String site, int kind) {
        long[] c = counts.get(new Key(dataset, site));
        return c == null ? 0 : c[kind];
    }

    /** Adds these counts to the current hour's figures, on the caller's connection (its transaction). */
    public void addTo(Connection connection) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (Map.Entry<Key, long[]> e : counts.entrySet()) {
                upsert.setString(1, e.getKey().dataset());
                upsert.setString(2, e.getKey().site());
                for (int i = 0; i < 4; i++) {
                    upsert.setLong(3 + i, e.getValue()[i]);
                }
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private void add(String dataset, String site, int kind, long n) {
        if (n > 0) {
            counts.computeIfAbsent(new Key(dataset, site), k -> new long[4])[kind] += n;
        }
    }

    private void merge(Key key, long[] values) {
        long[] c = counts.computeIfAbsent(key, k -> new long[4]);
        for (int i = 0; i < 4; i++) {
            c[i] += values[i];
        }
    }
}

package ch.cern.alice.lakehouse.ingest.staging;

import ch.cern.alice.lakehouse.common.staging.StagingLayout;
import ch.cern.alice.lakehouse.ingest.figures.StagingFigures;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes batches into {@code staging.records}, all rows of a batch in one transaction, in batch order, so ids grow
 * with the Kafka offsets of a partition. For a dedup key the newest record wins ({@link StagedRow#NEWEST_LAST}:
 * order field value, receive time, Kafka partition, offset; nulls lowest), within a batch and against what is
 * already staged.
 * <p>
 * First, of the rows of one key in the batch only the newest is kept. Fast path: the kept rows are COPYed straight
 * into each dataset's partition. COPY is several times cheaper than {@code INSERT ... ON CONFLICT}, but fails on a
 * key already staged (a re-delivered batch, a re-send, an update of a job); only then is the batch written again the
 * careful way: COPY into a session temp table and {@code INSERT ... SELECT ... ON CONFLICT (dataset, dedup_key)
 * DO UPDATE ... WHERE} the incoming row is newer, per dataset. An updated row takes a new id from the sequence: an
 * ETL run claims an id range and deletes it when done, so an update keeping a claimed id could be deleted without
 * ever being read; with a new id the next run picks it up. An older or repeated record changes nothing.
 * <p>
 * If the database refuses the data itself (SQLSTATE class 22 data exception or 54 limit exceeded, e.g. a NUL
 * character or a key too long for the index), the batch is split in halves until the offending rows are isolated;
 * they are reported as rejected so they can be dead-lettered and the rest still lands. Every other failure means
 * the database is unavailable: nothing is reported written and the caller must retry the whole batch.
 */
@Component
public class StagingWriter {

    private static final Logger log = LoggerFactory.getLogger(StagingWriter.class);

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS =
            "dataset, dedup_key, site, received_at, payload, ordered_at, kafka_partition, kafka_offset";
    private static final String COPY_INTO_PARTITION = "COPY %s (" + COLUMNS + ") FROM STDIN";
    private static final String CREATE_TEMP_TABLE = """
            CREATE TEMP TABLE IF NOT EXISTS ingest_batch (
                dataset TEXT, dedup_key TEXT, site TEXT, received_at TIMESTAMPTZ, payload TEXT,
                ordered_at TIMESTAMPTZ, kafka_partition INT, kafka_offset BIGINT, ord INT
            ) ON COMMIT DELETE ROWS""";
    private static final String COPY_INTO_TEMP_TABLE = "COPY ingest_batch (" + COLUMNS + ", ord) FROM STDIN";
    /** The update rule in SQL: the row tuple compared, nulls lowest (partitions and offsets are never negative). */
    private static final String ORDER_OF = "(coalesce(%1$s.ordered_at, '-infinity'), %1$s.received_at, "
            + "coalesce(%1$s.kafka_partition, -1), coalesce(%1$s.kafka_offset, -1))";
    /** Inserts new keys, replaces older staged rows (new id); returns (inserted, updated). */
    private static final String UPSERT_DATASET = """
            WITH written AS (
                INSERT INTO %1$s AS staged (%2$s)
                SELECT %2$s FROM ingest_batch WHERE dataset = ? ORDER BY ord
                ON CONFLICT (dataset, dedup_key) DO UPDATE SET
                    id = nextval('%5$s'), site = excluded.site, received_at = excluded.received_at,
                    staged_at = now(), payload = excluded.payload, ordered_at = excluded.ordered_at,
                    kafka_partition = excluded.kafka_partition, kafka_offset = excluded.kafka_offset
                WHERE %3$s > %4$s
                RETURNING site, xmax = 0 AS inserted)
            SELECT site, count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written
            GROUP BY site"""
            .formatted("%1$s", COLUMNS, ORDER_OF.formatted("excluded"), ORDER_OF.formatted("staged"),
                    StagingLayout.ID_SEQUENCE);
    /** After the upsert: batch rows that are the very record staged for their key (written ones included). */
    private static final String COUNT_SAME_AS_STAGED = """
            SELECT b.site, count(*) FROM ingest_batch b JOIN %s s ON s.dataset = b.dataset AND s.dedup_key = b.dedup_key
            WHERE b.dataset = ? AND s.received_at = b.received_at AND s.ordered_at IS NOT DISTINCT FROM b.ordered_at
              AND s.kafka_partition IS NOT DISTINCT FROM b.kafka_partition
              AND s.kafka_offset IS NOT DISTINCT FROM b.kafka_offset
            GROUP BY b.site""";
    private static final int COPY_BUFFER = 1 << 16;

    private final DataSource dataSource;

    /** Taking {@link StagingPartitions} guarantees every dataset has its partition before the first write. */
    public StagingWriter(DataSource dataSource, StagingPartitions partitions) {
        this.dataSource = dataSource;
    }

    public BatchOutcome write(List<StagedRow> rows) throws StagingUnavailableException {
        if (rows.isEmpty()) {
            return BatchOutcome.empty();
        }
        NewestPerKey newest = NewestPerKey.of(rows);
        BatchOutcome outcome = writeNewest(newest.rows(), newest.figures());
        List<BatchOutcome.RejectedRow> rejected = outcome.rejected().stream()
                .map(r -> new BatchOutcome.RejectedRow(newest.positions()[r.index()], r.reason())).toList();
        return new BatchOutcome(outcome.insertedByDataset(), outcome.updatedByDataset(),
                outcome.duplicatesByDataset(), outcome.staleByDataset(), rejected)
                .withDroppedInBatch(newest.duplicates(), newest.stale());
    }

    /** Writes rows with distinct keys; rejected indexes are positions in {@code rows}. */
    private BatchOutcome writeNewest(List<StagedRow> rows, StagingFigures carried)
            throws StagingUnavailableException {
        try {
            return writeInOneTransaction(rows, carried);
        } catch (SQLException e) {
            if (!isRefusedData(e)) {
                throw new StagingUnavailableException("staging database unavailable: " + describe(e), e);
            }
            if (rows.size() == 1) {
                addFiguresAlone(carried);
                return BatchOutcome.rejectedOnly(0, "refused by the staging database: " + describe(e));
            }
            log.info("Staging refused data in a batch of {} rows ({}); isolating the offending rows",
                    rows.size(), describe(e));
            int half = rows.size() / 2;
            BatchOutcome first = writeNewest(rows.subList(0, half), carried);
            return first.plus(writeNewest(rows.subList(half, rows.size()), new StagingFigures()), half);
        }
    }

    private BatchOutcome writeInOneTransaction(List<StagedRow> rows, StagingFigures carried) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            try {
                BatchOutcome outcome = copyIntoPartitions(copy, rows);
                StagingFigures figures = new StagingFigures();
                rows.forEach(row -> figures.inserted(row.dataset(), row.site(), 1));
                figures.plus(carried).addTo(connection);
                connection.commit();
                return outcome;
            } catch (SQLException e) {
                rollbackQuietly(connection);
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                rollbackQuietly(connection);
                throw new SQLException("COPY failed: " + e.getMessage(), e);
            }
            try {
                StagingFigures figures = new StagingFigures();
                BatchOutcome outcome = upsertNewer(connection, copy, rows, figures);
                figures.plus(carried).addTo(connection);
                connection.commit();
                return outcome;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e instanceof SQLException sql ? sql : new SQLException("COPY failed: " + e.getMessage(), e);
            }
        }
    }

    /** The fast path for keys not staged yet; fails with a unique violation if one of the keys is. */
    private static BatchOutcome copyIntoPartitions(CopyManager copy, List<StagedRow> rows)
            throws SQLException, IOException {
        Map<String, Long> inserted = new HashMap<>();
        for (Map.Entry<String, List<StagedRow>> dataset : byDataset(rows).entrySet()) {
            copy.copyIn(COPY_INTO_PARTITION.formatted(StagingLayout.partition(dataset.getKey())),
                    new ByteArrayInputStream(CopyTextEncoder.encode(dataset.getValue())), COPY_BUFFER);
            inserted.put(dataset.getKey(), (long) dataset.getValue().size());
        }
        return new BatchOutcome(inserted, Map.of(), Map.of(), Map.of(), List.of());
    }

    private static Map<String, List<StagedRow>> byDataset(List<StagedRow> rows) {
        Map<String, List<StagedRow>> byDataset = new LinkedHashMap<>();
        for (StagedRow row : rows) {
            byDataset.computeIfAbsent(row.dataset(), d -> new ArrayList<>(rows.size())).add(row);
        }
        return byDataset;
    }

    /** The careful path for batches holding keys already staged: new keys inserted, older staged rows replaced. */
    private static BatchOutcome upsertNewer(Connection connection, CopyManager copy, List<StagedRow> rows,
                                            StagingFigures figures) throws SQLException, IOException {
        Map<String, Long> rowsPerDataset = countPerDataset(rows);
        Map<String, Map<String, Long>> rowsPerSite = new HashMap<>();
        for (StagedRow row : rows) {
            rowsPerSite.computeIfAbsent(row.dataset(), d -> new HashMap<>()).merge(siteOf(row), 1L, Long::sum);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_TEMP_TABLE);
        }
        copy.copyIn(COPY_INTO_TEMP_TABLE, new ByteArrayInputStream(CopyTextEncoder.encodeWithPosition(rows)),
                COPY_BUFFER);
        Map<String, Long> inserted = new HashMap<>();
        Map<String, Long> updated = new HashMap<>();
        Map<String, Long> duplicates = new HashMap<>();
        Map<String, Long> stale = new HashMap<>();
        for (Map.Entry<String, Long> dataset : rowsPerDataset.entrySet()) {
            String table = StagingLayout.partition(dataset.getKey());
            long insertedRows = 0;
            long updatedRows = 0;
            Map<String, Long> writtenPerSite = new HashMap<>();
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT_DATASET.formatted(table))) {
                upsert.setString(1, dataset.getKey());
                try (ResultSet result = upsert.executeQuery()) {
                    while (result.next()) {
                        String site = nullToEmpty(result.getString(1));
                        insertedRows += result.getLong(2);
                        updatedRows += result.getLong(3);
                        figures.inserted(dataset.getKey(), site, result.getLong(2));
                        figures.updated(dataset.getKey(), site, result.getLong(3));
                        writtenPerSite.merge(site, result.getLong(2) + result.getLong(3), Long::sum);
                    }
                }
            }
            Map<String, Long> samePerSite = new HashMap<>();
            try (PreparedStatement count = connection.prepareStatement(COUNT_SAME_AS_STAGED.formatted(table))) {
                count.setString(1, dataset.getKey());
                try (ResultSet result = count.executeQuery()) {
                    while (result.next()) {
                        samePerSite.merge(nullToEmpty(result.getString(1)), result.getLong(2), Long::sum);
                    }
                }
            }
            long duplicateRows = 0;
            for (Map.Entry<String, Long> site : rowsPerSite.getOrDefault(dataset.getKey(), Map.of()).entrySet()) {
                long writtenOfSite = writtenPerSite.getOrDefault(site.getKey(), 0L);
                long duplicatesOfSite = Math.max(0, samePerSite.getOrDefault(site.getKey(), 0L) - writtenOfSite);
                duplicateRows += duplicatesOfSite;
                figures.duplicates(dataset.getKey(), site.getKey(), duplicatesOfSite);
                figures.stale(dataset.getKey(), site.getKey(), site.getValue() - writtenOfSite - duplicatesOfSite);
            }
            long written = insertedRows + updatedRows;
            inserted.put(dataset.getKey(), insertedRows);
            updated.put(dataset.getKey(), updatedRows);
            duplicates.put(dataset.getKey(), duplicateRows);
            stale.put(dataset.getKey(), dataset.getValue() - written - duplicateRows);
        }
        return new BatchOutcome(inserted, updated, duplicates, stale, List.of());
    }

    /**
     * The newest row per (dataset, dedup key) of a batch, in batch order, with their positions in the batch and what
     * was dropped: rows older than the kept one (stale) and rows equal to it by the update rule (duplicates).
     */
    private record NewestPerKey(List<StagedRow> rows, int[] positions, Map<String, Long> duplicates,
                                Map<String, Long> stale, StagingFigures figures) {

        static NewestPerKey of(List<StagedRow> batch) {
            Map<String, Map<String, Integer>> newestByKey = new HashMap<>();
            boolean[] kept = new boolean[batch.size()];
            Map<String, Long> duplicates = new HashMap<>();
            Map<String, Long> stale = new HashMap<>();
            StagingFigures figures = new StagingFigures();
            int keptCount = 0;
            for (int i = 0; i < batch.size(); i++) {
                StagedRow row = batch.get(i);
                Integer current = newestByKey.computeIfAbsent(row.dataset(), d -> new HashMap<>(batch.size() * 2))
                        .putIfAbsent(row.dedupKey(), i);
                if (current == null) {
                    kept[i] = true;
                    keptCount++;
                    continue;
                }
                int order = StagedRow.NEWEST_LAST.compare(row, batch.get(current));
                if (order > 0) {
                    newestByKey.get(row.dataset()).put(row.dedupKey(), i);
                    kept[current] = false;
                    kept[i] = true;
                }
                (order == 0 ? duplicates : stale).merge(row.dataset(), 1L, Long::sum);
                if (order == 0) {
                    figures.duplicates(row.dataset(), row.site(), 1);
                } else {
                    figures.stale(row.dataset(), row.site(), 1);
                }
            }
            List<StagedRow> rows = new ArrayList<>(keptCount);
            int[] positions = new int[keptCount];
            for (int i = 0; i < batch.size(); i++) {
                if (kept[i]) {
                    positions[rows.size()] = i;
                    rows.add(batch.get(i));
                }
            }
            return new NewestPerKey(rows, positions, duplicates, stale, figures);
        }
    }

    private static Map<String, Long> countPerDataset(List<StagedRow> rows) {
        Map<String, Long> rowsPerDataset = new LinkedHashMap<>();
        for (StagedRow row : rows) {
            rowsPerDataset.merge(row.dataset(), 1L, Long::sum);
        }
        return rowsPerDataset;
    }

    private static String siteOf(StagedRow row) {
        return nullToEmpty(row.site());
    }

    private static String nullToEmpty(String site) {
        return site == null ? "" : site;
    }

    /**
     * Figures of rows dropped before the write when no transaction of the batch commits (its only row was refused):
     * added on their own. Best effort: a failure here only loses these few counts, never a row.
     */
    private void addFiguresAlone(StagingFigures figures) {
        if (figures.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            figures.addTo(connection);
        } catch (SQLException e) {
            log.warn("Could not add the figures of dropped rows: {}", describe(e));
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken anyway; the pool discards it
        }
    }

    /** True when the database refused the content of some row, as opposed to being unreachable or broken. */
    static boolean isRefusedData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("54"));
    }

    private static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return (e.getSQLState() == null ? "" : "[" + e.getSQLState() + "] ") + message;
    }
}

package ch.cern.alice.lakehouse.ingest.staging;

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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes batches into {@code staging.records}, all rows of a batch in one transaction, in batch order, so ids grow
 * with the Kafka offsets of a partition.
 * <p>
 * Fast path: repeats of a key within the batch are dropped (the first one stays), then the rows are COPYed straight
 * into each dataset's partition. COPY is several times cheaper than {@code INSERT ... ON CONFLICT}, but fails on
 * a key already staged (a re-delivered batch or a site re-sending one); only then is the batch written again the
 * careful way: COPY into a session temp table and {@code INSERT ... SELECT ... ON CONFLICT (dataset, dedup_key)
 * DO NOTHING} per dataset. Re-deliveries fail at their first row, so the wasted work is small.
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
    private static final String COPY_INTO_PARTITION =
            "COPY staging.%s (dataset, dedup_key, site, received_at, payload) FROM STDIN";
    private static final String CREATE_TEMP_TABLE = """
            CREATE TEMP TABLE IF NOT EXISTS ingest_batch (
                dataset TEXT, dedup_key TEXT, site TEXT, received_at TIMESTAMPTZ, payload TEXT, ord INT
            ) ON COMMIT DELETE ROWS""";
    private static final String COPY_INTO_TEMP_TABLE =
            "COPY ingest_batch (dataset, dedup_key, site, received_at, payload, ord) FROM STDIN";
    private static final String INSERT_DATASET = """
            INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload)
            SELECT dataset, dedup_key, site, received_at, payload FROM ingest_batch WHERE dataset = ? ORDER BY ord
            ON CONFLICT (dataset, dedup_key) DO NOTHING""";
    private static final int COPY_BUFFER = 1 << 16;

    private final DataSource dataSource;

    /** Taking {@link StagingPartitions} guarantees every dataset has its partition before the first write. */
    public StagingWriter(DataSource dataSource, StagingPartitions partitions) {
        this.dataSource = dataSource;
    }

    public BatchOutcome write(List<StagedRow> rows) throws StagingUnavailableException {
        if (rows.isEmpty()) {
            return new BatchOutcome(Map.of(), Map.of(), List.of());
        }
        try {
            return writeInOneTransaction(rows);
        } catch (SQLException e) {
            if (!isRefusedData(e)) {
                throw new StagingUnavailableException("staging database unavailable: " + describe(e), e);
            }
            if (rows.size() == 1) {
                return BatchOutcome.rejectedOnly(0, "refused by the staging database: " + describe(e));
            }
            log.info("Staging refused data in a batch of {} rows ({}); isolating the offending rows",
                    rows.size(), describe(e));
            int half = rows.size() / 2;
            BatchOutcome first = write(rows.subList(0, half));
            return first.plus(write(rows.subList(half, rows.size())), half);
        }
    }

    private BatchOutcome writeInOneTransaction(List<StagedRow> rows) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            try {
                BatchOutcome outcome = copyIntoPartitions(copy, rows);
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
                BatchOutcome outcome = insertSkippingStagedKeys(connection, copy, rows);
                connection.commit();
                return outcome;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e instanceof SQLException sql ? sql : new SQLException("COPY failed: " + e.getMessage(), e);
            }
        }
    }

    /** The fast path; fails with a unique violation if one of the keys is already staged. */
    private static BatchOutcome copyIntoPartitions(CopyManager copy, List<StagedRow> rows)
            throws SQLException, IOException {
        Map<String, Long> rowsPerDataset = countPerDataset(rows);
        Map<String, Long> inserted = new HashMap<>();
        Map<String, Long> duplicates = new HashMap<>();
        for (Map.Entry<String, List<StagedRow>> dataset : firstOfEachKeyByDataset(rows).entrySet()) {
            List<StagedRow> unique = dataset.getValue();
            copy.copyIn(COPY_INTO_PARTITION.formatted(StagingPartitions.tableName(dataset.getKey())),
                    new ByteArrayInputStream(CopyTextEncoder.encode(unique)), COPY_BUFFER);
            inserted.put(dataset.getKey(), (long) unique.size());
            duplicates.put(dataset.getKey(), rowsPerDataset.get(dataset.getKey()) - unique.size());
        }
        return new BatchOutcome(inserted, duplicates, List.of());
    }

    /** Rows grouped by dataset in batch order, without the later repeats of a dedup key. */
    private static Map<String, List<StagedRow>> firstOfEachKeyByDataset(List<StagedRow> rows) {
        Map<String, List<StagedRow>> byDataset = new LinkedHashMap<>();
        Map<String, Set<String>> keysByDataset = new HashMap<>();
        for (StagedRow row : rows) {
            if (keysByDataset.computeIfAbsent(row.dataset(), d -> new HashSet<>(rows.size() * 2))
                    .add(row.dedupKey())) {
                byDataset.computeIfAbsent(row.dataset(), d -> new ArrayList<>(rows.size())).add(row);
            }
        }
        return byDataset;
    }

    /** The careful path for batches holding keys already staged. */
    private static BatchOutcome insertSkippingStagedKeys(Connection connection, CopyManager copy,
                                                         List<StagedRow> rows) throws SQLException, IOException {
        Map<String, Long> rowsPerDataset = countPerDataset(rows);
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_TEMP_TABLE);
        }
        copy.copyIn(COPY_INTO_TEMP_TABLE, new ByteArrayInputStream(CopyTextEncoder.encodeWithPosition(rows)),
                COPY_BUFFER);
        Map<String, Long> inserted = new HashMap<>();
        Map<String, Long> duplicates = new HashMap<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DATASET)) {
            for (Map.Entry<String, Long> dataset : rowsPerDataset.entrySet()) {
                insert.setString(1, dataset.getKey());
                long count = insert.executeUpdate();
                inserted.put(dataset.getKey(), count);
                duplicates.put(dataset.getKey(), dataset.getValue() - count);
            }
        }
        return new BatchOutcome(inserted, duplicates, List.of());
    }

    private static Map<String, Long> countPerDataset(List<StagedRow> rows) {
        Map<String, Long> rowsPerDataset = new LinkedHashMap<>();
        for (StagedRow row : rows) {
            rowsPerDataset.merge(row.dataset(), 1L, Long::sum);
        }
        return rowsPerDataset;
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

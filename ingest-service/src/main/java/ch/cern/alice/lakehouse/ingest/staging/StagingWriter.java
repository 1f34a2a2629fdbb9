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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes batches into {@code staging.records}: COPY into a session temp table, then one
 * {@code INSERT ... SELECT ... ON CONFLICT (dataset, dedup_key) DO NOTHING} per dataset, all in one transaction.
 * Rows are inserted in batch order, so ids grow with the Kafka offsets of a partition.
 * <p>
 * If the database refuses the data itself (SQLSTATE class 22 data exception or 54 limit exceeded, e.g. a NUL
 * character or a key too long for the index), the batch is split in halves until the offending rows are isolated;
 * they are reported as rejected so they can be dead-lettered and the rest still lands. Every other failure means
 * the database is unavailable: nothing is reported written and the caller must retry the whole batch.
 */
@Component
public class StagingWriter {

    private static final Logger log = LoggerFactory.getLogger(StagingWriter.class);

    private static final String CREATE_TEMP_TABLE = """
            CREATE TEMP TABLE IF NOT EXISTS ingest_batch (
                dataset TEXT, dedup_key TEXT, site TEXT, received_at TIMESTAMPTZ, payload JSONB, ord INT
            ) ON COMMIT DELETE ROWS""";
    private static final String COPY_IN =
            "COPY ingest_batch (dataset, dedup_key, site, received_at, payload, ord) FROM STDIN";
    private static final String INSERT_DATASET = """
            INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload)
            SELECT dataset, dedup_key, site, received_at, payload FROM ingest_batch WHERE dataset = ? ORDER BY ord
            ON CONFLICT (dataset, dedup_key) DO NOTHING""";

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
        Map<String, Long> rowsPerDataset = new LinkedHashMap<>();
        for (StagedRow row : rows) {
            rowsPerDataset.merge(row.dataset(), 1L, Long::sum);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(CREATE_TEMP_TABLE);
                }
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                copy.copyIn(COPY_IN, new ByteArrayInputStream(CopyTextEncoder.encode(rows)), 1 << 16);
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
                connection.commit();
                return new BatchOutcome(inserted, duplicates, List.of());
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e instanceof SQLException sql ? sql : new SQLException("COPY failed: " + e.getMessage(), e);
            }
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

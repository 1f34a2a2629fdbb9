package ch.cern.alice.lakehouse.ingest.deadletter;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.ingest.consume.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code ingest.dead_letters}: where poison records are kept until an admin replays or discards them. Writes of the
 * Kafka listener are idempotent (a re-delivered record is stored once), so the listener may store a batch's letters
 * and still have the batch re-polled.
 */
@Component
public class DeadLetterStore {

    /** Kafka header naming the dead letter a replayed record came from. */
    public static final String REPLAY_OF_HEADER = "lakehouse.replay-of";

    static final int MAX_SITE_LENGTH = 100;

    private static final String INSERT = """
            INSERT INTO ingest.dead_letters (dataset, site, topic, kafka_partition, kafka_offset, kafka_timestamp,
                                             record_key, envelope, reason, replay_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (topic, kafka_partition, kafka_offset, envelope_sha256) DO NOTHING""";
    private static final String SUMMARY_COLUMNS = """
            id, dataset, site, topic, kafka_partition, kafka_offset, kafka_timestamp, record_key,
            NULL::bytea AS envelope, octet_length(envelope) AS envelope_bytes, reason, replay_of, first_seen, status,
            times_replayed, last_replayed_at, last_replayed_by, last_replay_partition, last_replay_offset,
            NULL::bytea AS last_replay_envelope, discarded_at, discarded_by, discard_note""";
    private static final String ALL_COLUMNS = """
            id, dataset, site, topic, kafka_partition, kafka_offset, kafka_timestamp, record_key, envelope,
            octet_length(envelope) AS envelope_bytes, reason, replay_of, first_seen, status, times_replayed,
            last_replayed_at, last_replayed_by, last_replay_partition, last_replay_offset, last_replay_envelope,
            discarded_at, discarded_by, discard_note""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DatasetCatalog catalog;

    /** Taking {@link DeadLetterSchema} guarantees the table exists before the first call. */
    public DeadLetterStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, DatasetCatalog catalog,
                           DeadLetterSchema schema) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.catalog = catalog;
    }

    /**
     * Stores the letters in one transaction; returns once it is committed. Letters already stored (same topic,
     * partition, offset and bytes: a re-delivery) are skipped.
     *
     * @throws org.springframework.dao.DataAccessException when the database is unavailable
     */
    public void save(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, letters, letters.size(), (ps, letter) -> {
            ConsumerRecord<byte[], byte[]> source = letter.source();
            byte[] value = source.value() == null ? new byte[0] : source.value();
            ps.setString(1, catalog.byTopic(source.topic()).map(DatasetDescriptor::name).orElse("unknown"));
            ps.setString(2, siteOf(value));
            ps.setString(3, source.topic());
            ps.setInt(4, source.partition());
            ps.setLong(5, source.offset());
            if (source.timestamp() >= 0) {
                ps.setObject(6, OffsetDateTime.ofInstant(Instant.ofEpochMilli(source.timestamp()), ZoneOffset.UTC));
            } else {
                ps.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
            }
            ps.setBytes(7, source.key());
            ps.setBytes(8, value);
            ps.setString(9, storable(letter.reason()));
            Long replayOf = replayOf(source);
            if (replayOf == null) {
                ps.setNull(10, Types.BIGINT);
            } else {
                ps.setLong(10, replayOf);
            }
        }));
    }

    public long count(DeadLetterFilter filter) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        Long count = jdbc.queryForObject("SELECT count(*) FROM ingest.dead_letters WHERE " + where, Long.class,
                args.toArray());
        return count == null ? 0 : count;
    }

    /** Newest first; envelopes are left out (see {@link StoredDeadLetter}). */
    public List<StoredDeadLetter> page(DeadLetterFilter filter, int page, int size) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        args.add(size);
        args.add((long) page * size);
        return jdbc.query("SELECT " + SUMMARY_COLUMNS + " FROM ingest.dead_letters WHERE " + where
                + " ORDER BY id DESC LIMIT ? OFFSET ?", ROW, args.toArray());
    }

    public Optional<StoredDeadLetter> find(long id) {
        return jdbc.query("SELECT " + ALL_COLUMNS + " FROM ingest.dead_letters WHERE id = ?", ROW, id).stream()
                .findFirst();
    }

    /** Like {@link #find} and locks the row until the surrounding transaction ends. */
    Optional<StoredDeadLetter> findForUpdate(long id) {
        return jdbc.query("SELECT " + ALL_COLUMNS + " FROM ingest.dead_letters WHERE id = ? FOR UPDATE", ROW, id)
                .stream().findFirst();
    }

    void markReplayed(long id, String user, int partition, long offset, byte[] envelope) {
        jdbc.update("""
                UPDATE ingest.dead_letters SET status = 'REPLAYED', times_replayed = times_replayed + 1,
                       last_replayed_at = now(), last_replayed_by = ?, last_replay_partition = ?,
                       last_replay_offset = ?, last_replay_envelope = ?, resolved_at = now()
                WHERE id = ?""", storable(user), partition, offset, envelope, id);
    }

    /** @return false when the letter is absent or already discarded */
    boolean markDiscarded(long id, String user, String note) {
        return jdbc.update("""
                UPDATE ingest.dead_letters SET status = 'DISCARDED', discarded_at = now(), discarded_by = ?,
                       discard_note = ?, resolved_at = now()
                WHERE id = ? AND status <> 'DISCARDED'""", storable(user), storable(note), id) == 1;
    }

    /** Pending letters per dataset (datasets without any are absent). */
    public Map<String, Pending> pending() {
        Map<String, Pending> pending = new LinkedHashMap<>();
        jdbc.query("""
                SELECT dataset, count(*) AS letters, min(first_seen) AS oldest FROM ingest.dead_letters
                WHERE status = 'PENDING' GROUP BY dataset ORDER BY dataset""", rs -> {
            pending.put(rs.getString("dataset"), new Pending(rs.getLong("letters"), instant(rs, "oldest")));
        });
        return pending;
    }

    /** @param oldestFirstSeen when the oldest pending letter of the dataset was stored */
    public record Pending(long count, Instant oldestFirstSeen) {
    }

    /** Deletes replayed and discarded letters resolved before the cutoff; returns how many. */
    int purgeResolvedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM ingest.dead_letters WHERE status <> 'PENDING' AND resolved_at < ?",
                OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
    }

    private static String where(DeadLetterFilter filter, List<Object> args) {
        StringBuilder where = new StringBuilder("status IN (")
                .append(filter.statuses().stream().map(s -> "?").collect(Collectors.joining(", "))).append(')');
        filter.statuses().forEach(s -> args.add(s.name()));
        if (filter.dataset() != null) {
            where.append(" AND dataset = ?");
            args.add(filter.dataset());
        }
        if (filter.site() != null) {
            where.append(" AND upper(site) = upper(?)");
            args.add(storable(filter.site()));
        }
        if (filter.reasonContains() != null) {
            where.append(" AND reason ILIKE ? ESCAPE '\\'");
            args.add("%" + escapeLike(storable(filter.reasonContains())) + "%");
        }
        return where.toString();
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Postgres TEXT cannot hold U+0000. */
    static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }

    static String siteOf(byte[] value) {
        String site = OriginalEnvelope.parse(value).site();
        if (site == null) {
            return null;
        }
        site = storable(site);
        return site.length() > MAX_SITE_LENGTH ? site.substring(0, MAX_SITE_LENGTH) : site;
    }

    private static Long replayOf(ConsumerRecord<byte[], byte[]> source) {
        Header header = source.headers().lastHeader(REPLAY_OF_HEADER);
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static final RowMapper<StoredDeadLetter> ROW = (rs, n) -> new StoredDeadLetter(
            rs.getLong("id"), rs.getString("dataset"), rs.getString("site"), rs.getString("topic"),
            rs.getInt("kafka_partition"), rs.getLong("kafka_offset"), instant(rs, "kafka_timestamp"),
            rs.getBytes("record_key"), rs.getBytes("envelope"), rs.getLong("envelope_bytes"), rs.getString("reason"),
            nullableLong(rs, "replay_of"), instant(rs, "first_seen"),
            DeadLetterStatus.valueOf(rs.getString("status")), rs.getInt("times_replayed"),
            instant(rs, "last_replayed_at"), rs.getString("last_replayed_by"),
            nullableInt(rs, "last_replay_partition"), nullableLong(rs, "last_replay_offset"),
            rs.getBytes("last_replay_envelope"), instant(rs, "discarded_at"), rs.getString("discarded_by"),
            rs.getString("discard_note"));
}

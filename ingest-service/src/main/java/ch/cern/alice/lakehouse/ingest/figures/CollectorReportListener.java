package ch.cern.alice.lakehouse.ingest.figures;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Adds the collector's per-request outcome counts to {@code ingest.figures}. The collector has no database: it
 * sends what it counted since its last report as one message on {@code lakehouse.collector-figures} (topic:
 * {@code ingest.figures.collector-topic}) every few seconds. A report is added exactly once: its id goes into
 * {@code ingest.collector_reports} in the same transaction, and the offsets are committed after it; a report that
 * is not a valid one is logged and skipped (the topic is internal: only the collector writes it).
 */
@Component
public class CollectorReportListener {

    public static final String LISTENER_ID = "collector-figures";

    private static final Logger log = LoggerFactory.getLogger(CollectorReportListener.class);
    private static final Pattern DATASET = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final int MAX_SITE = 100;
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final String UPSERT = """
            INSERT INTO ingest.figures AS f (hour, dataset, site, received, accepted, rejected, request_duplicates,
                                             unacknowledged)
            VALUES (date_trunc('hour', ?::timestamptz), ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (hour, dataset, site) DO UPDATE SET
                received = f.received + excluded.received, accepted = f.accepted + excluded.accepted,
                rejected = f.rejected + excluded.rejected,
                request_duplicates = f.request_duplicates + excluded.request_duplicates,
                unacknowledged = f.unacknowledged + excluded.unacknowledged""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Duration reportRetention;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile Instant lastPurge = Instant.EPOCH;

    public CollectorReportListener(JdbcTemplate jdbc, TransactionTemplate tx, FiguresProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.reportRetention = properties.reportRetention();
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = "${ingest.figures.collector-topic}",
            batch = "true")
    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records, Acknowledgment ack) {
        List<Report> reports = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                reports.add(parse(record.value()));
            } catch (IllegalArgumentException | JacksonException e) {
                log.warn("Skipped collector report {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
            }
        }
        try {
            tx.executeWithoutResult(status -> reports.forEach(this::addOnce));
            purgeOldReports();
        } catch (DataAccessException e) {
            log.warn("Collector reports not added ({}); retrying in {} s", e.getMostSpecificCause().getMessage(),
                    RETRY.toSeconds());
            ack.nack(0, RETRY);
            return;
        }
        ack.acknowledge();
    }

    private void addOnce(Report report) {
        int fresh = jdbc.update("INSERT INTO ingest.collector_reports (report_id) VALUES (?) ON CONFLICT DO NOTHING",
                report.id());
        if (fresh == 0) {
            return; // re-delivered: added before
        }
        List<Object[]> args = report.entries().stream().sorted((a, b) -> {
            int c = a.hour().compareTo(b.hour());
            c = c != 0 ? c : a.dataset().compareTo(b.dataset());
            return c != 0 ? c : a.site().compareTo(b.site());
        }).map(e -> new Object[]{Timestamp.from(e.hour()), e.dataset(), e.site(), e.received(), e.accepted(),
                e.rejected(), e.duplicates(), e.unacknowledged()}).toList();
        jdbc.batchUpdate(UPSERT, args);
    }

    private void purgeOldReports() {
        if (Instant.now().isBefore(lastPurge.plus(Duration.ofHours(1)))) {
            return;
        }
        lastPurge = Instant.now();
        jdbc.update("DELETE FROM ingest.collector_reports WHERE received_at < ?",
                Timestamp.from(Instant.now().minus(reportRetention)));
    }

    record Report(String id, List<Entry> entries) {
    }

    record Entry(Instant hour, String dataset, String site, long received, long accepted, long rejected,
                 long duplicates, long unacknowledged) {
    }

    Report parse(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("empty report");
        }
        JsonNode root = json.readTree(value);
        String id = root.path("reportId").asString("");
        if (id.isBlank() || id.length() > 200) {
            throw new IllegalArgumentException("no or bad reportId");
        }
        List<Entry> entries = new ArrayList<>();
        Instant latest = Instant.now().plus(Duration.ofHours(1));
        for (JsonNode e : root.path("entries")) {
            Instant hour = Instant.parse(e.path("hour").asString("")).truncatedTo(ChronoUnit.HOURS);
            String dataset = e.path("dataset").asString("");
            String site = e.path("site").asString("");
            if (!DATASET.matcher(dataset).matches() || site.length() > MAX_SITE || hour.isAfter(latest)) {
                throw new IllegalArgumentException("bad entry " + e);
            }
            entries.add(new Entry(hour, dataset, site, count(e, "received"), count(e, "accepted"),
                    count(e, "rejected"), count(e, "duplicates"), count(e, "unacknowledged")));
        }
        return new Report(id, entries);
    }

    private static long count(JsonNode entry, String field) {
        long n = entry.path(field).asLong(0);
        if (n < 0) {
            throw new IllegalArgumentException("negative " + field);
        }
        return n;
    }
}

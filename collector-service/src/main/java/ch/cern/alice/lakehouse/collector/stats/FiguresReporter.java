package ch.cern.alice.lakehouse.collector.stats;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the collector's per-hour outcome counts ({@link CollectorStats#drainHourly()}) to ingest-service every
 * {@code interval}, as one JSON report on the figures topic ({@code lakehouse.collector-figures}); ingest-service
 * adds each report once to {@code ingest.figures}, so the figures survive restarts of both services. A report that
 * Kafka does not acknowledge is put back and goes with the next one; at shutdown the last counts are sent. What a
 * collector killed with -9 counted since its last report (at most {@code interval}) is lost.
 * <p>
 * Report: {@code {"reportId": uuid, "entries": [{"hour", "site", "dataset", "received", "accepted", "rejected",
 * "duplicates", "unacknowledged"}]}}.
 */
public final class FiguresReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FiguresReporter.class);

    private final CollectorStats stats;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Duration interval;
    private final Duration sendTimeout;
    private volatile boolean lastFailed;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "figures-reporter");
        t.setDaemon(true);
        return t;
    });

    public FiguresReporter(CollectorStats stats, Producer<String, byte[]> producer, String topic, Duration interval,
                           Duration sendTimeout) {
        this.stats = stats;
        this.producer = producer;
        this.topic = topic;
        this.interval = interval;
        this.sendTimeout = sendTimeout;
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::report, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Sends what was counted since the last report; @return true if there was nothing or it was acknowledged */
    public synchronized boolean report() {
        Map<CollectorStats.HourlyKey, long[]> counts = stats.drainHourly();
        if (counts.isEmpty()) {
            return true;
        }
        try {
            String id = UUID.randomUUID().toString();
            producer.send(new ProducerRecord<>(topic, id, encode(id, counts)))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            lastFailed = false;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastFailed = true;
            stats.restoreHourly(counts);
            return false;
        } catch (Exception e) {
            lastFailed = true;
            stats.restoreHourly(counts);
            log.warn("Figures report not acknowledged by Kafka ({}); it goes with the next one", e.getMessage());
            return false;
        }
    }

    byte[] encode(String id, Map<CollectorStats.HourlyKey, long[]> counts) {
        ObjectNode root = json.createObjectNode();
        root.put("reportId", id);
        ArrayNode entries = root.putArray("entries");
        counts.forEach((key, v) -> entries.addObject()
                .put("hour", key.hour().toString())
                .put("site", key.site())
                .put("dataset", key.dataset())
                .put("received", v[0])
                .put("accepted", v[1])
                .put("rejected", v[2])
                .put("duplicates", v[3])
                .put("unacknowledged", v[4]));
        return json.writeValueAsBytes(root);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (!lastFailed) {
            report(); // not while Kafka is known to be away: shutdown would wait for the send timeout
        }
    }
}

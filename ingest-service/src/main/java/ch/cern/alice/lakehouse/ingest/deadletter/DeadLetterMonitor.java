package ch.cern.alice.lakehouse.ingest.deadletter;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * Gauges of the dead letters waiting for an admin, per dataset: how many are pending and how old the oldest one is
 * (seconds since it was stored; 0 when none is pending, -1 while the store could not be read yet). Counts are read
 * from the store every {@code ingest.dead-letters.metrics-interval} and after every replay or discard; the age grows
 * with each scrape. Also deletes resolved letters past their retention every
 * {@code ingest.dead-letters.purge-interval}.
 */
@Component
public class DeadLetterMonitor implements SmartLifecycle {

    public static final String PENDING = "lakehouse.ingest.dead.letters.pending";
    public static final String OLDEST_PENDING_AGE = "lakehouse.ingest.dead.letters.oldest.pending.age";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterMonitor.class);

    private final DeadLetterStore store;
    private final TaskScheduler scheduler;
    private final DeadLetterProperties properties;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, DeadLetterStore.Pending> pending;
    private volatile ScheduledFuture<?> refreshing;
    private volatile ScheduledFuture<?> purging;

    public DeadLetterMonitor(DeadLetterStore store, TaskScheduler scheduler, DeadLetterProperties properties,
                             MeterRegistry registry, DatasetCatalog catalog) {
        this.store = store;
        this.scheduler = scheduler;
        this.properties = properties;
        this.registry = registry;
        catalog.names().forEach(this::register);
    }

    private void register(String dataset) {
        if (!registered.add(dataset)) {
            return;
        }
        Gauge.builder(PENDING, this, m -> m.pendingCount(dataset))
                .description("Dead letters waiting for an admin to replay or discard them (-1: not read yet)")
                .tag("dataset", dataset)
                .register(registry);
        Gauge.builder(OLDEST_PENDING_AGE, this, m -> m.oldestPendingAgeSeconds(dataset))
                .description("Age of the oldest pending dead letter (0: none pending, -1: not read yet)")
                .baseUnit("seconds")
                .tag("dataset", dataset)
                .register(registry);
    }

    private double pendingCount(String dataset) {
        Map<String, DeadLetterStore.Pending> known = pending;
        if (known == null) {
            return -1;
        }
        DeadLetterStore.Pending p = known.get(dataset);
        return p == null ? 0 : p.count();
    }

    private double oldestPendingAgeSeconds(String dataset) {
        Map<String, DeadLetterStore.Pending> known = pending;
        if (known == null) {
            return -1;
        }
        DeadLetterStore.Pending p = known.get(dataset);
        if (p == null || p.oldestFirstSeen() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(p.oldestFirstSeen(), clock.instant()).toMillis() / 1000.0);
    }

    /** Reads the pending figures now; failures are logged and keep the previous figures. */
    public void refresh() {
        try {
            Map<String, DeadLetterStore.Pending> now = new HashMap<>(store.pending());
            now.keySet().forEach(this::register);
            pending = now;
        } catch (RuntimeException e) {
            log.warn("Could not read the pending dead letters: {}", e.toString());
        }
    }

    /** Deletes replayed and discarded letters resolved longer than the retention ago. */
    public int purge() {
        try {
            int deleted = store.purgeResolvedBefore(clock.instant().minus(properties.retention()));
            if (deleted > 0) {
                log.info("Deleted {} replayed or discarded dead letters resolved more than {} ago", deleted,
                        properties.retention());
            }
            return deleted;
        } catch (RuntimeException e) {
            log.warn("Could not purge resolved dead letters: {}", e.toString());
            return 0;
        }
    }

    @Override
    public void start() {
        refreshing = scheduler.scheduleWithFixedDelay(this::refresh, properties.metricsInterval());
        purging = scheduler.scheduleWithFixedDelay(this::purge, Instant.now().plusSeconds(60),
                properties.purgeInterval());
    }

    @Override
    public void stop() {
        for (ScheduledFuture<?> task : new ScheduledFuture<?>[] {refreshing, purging}) {
            if (task != null) {
                task.cancel(false);
            }
        }
        refreshing = null;
        purging = null;
    }

    @Override
    public boolean isRunning() {
        return refreshing != null;
    }
}

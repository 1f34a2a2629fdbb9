package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.ingest.config.IngestProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tracks consecutive failures to complete a batch (staging database or DLQ unavailable) across all consumer
 * threads: the pause before the batch is re-polled doubles per failure up to a maximum, and health and stats can
 * tell since when the service has been stuck.
 */
@Component
public class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    public RetryBackoff(IngestProperties properties) {
        this.initial = properties.retryInitialBackoff();
        this.max = properties.retryMaxBackoff();
    }

    /** Records a failure and returns how long to wait before the batch is polled again. */
    public Duration failed(String error) {
        int failures = consecutiveFailures.incrementAndGet();
        failingSince.compareAndSet(null, Instant.now());
        lastError.set(error);
        long factor = 1L << Math.min(failures - 1, 20);
        long millis = initial.toMillis() * factor;
        return millis > max.toMillis() || millis <= 0 ? max : Duration.ofMillis(millis);
    }

    public void succeeded() {
        if (consecutiveFailures.getAndSet(0) > 0) {
            failingSince.set(null);
            lastError.set(null);
        }
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Null while batches complete. */
    public Instant failingSince() {
        return failingSince.get();
    }

    public String lastError() {
        return lastError.get();
    }
}

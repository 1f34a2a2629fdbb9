package ch.cern.alice.lakehouse.ingest.deadletter;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Dead-letter settings (prefix {@code ingest.dead-letters}; application.yml maps the {@code INGEST_DEAD_LETTER_*}
 * environment variables onto them).
 *
 * @param retention       replayed and discarded letters are deleted this long after they were resolved; pending
 *                        letters never expire
 * @param purgeInterval   how often resolved letters past their retention are deleted
 * @param metricsInterval how often the pending count and age per dataset are read for the gauges
 */
@ConfigurationProperties(prefix = "ingest.dead-letters")
public record DeadLetterProperties(Duration retention, Duration purgeInterval, Duration metricsInterval) {

    public DeadLetterProperties {
        retention = positive(retention, Duration.ofDays(30), "retention");
        purgeInterval = positive(purgeInterval, Duration.ofHours(1), "purge-interval");
        metricsInterval = positive(metricsInterval, Duration.ofSeconds(15), "metrics-interval");
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("ingest.dead-letters." + name + " must be positive, got " + value);
        }
        return value;
    }
}

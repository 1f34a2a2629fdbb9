package ch.cern.alice.lakehouse.etl.spark;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the long-lived Spark application ({@link WarmSparkApplication}), bound from {@code etl.warm.*}.
 *
 * @param enabled         true: one warm Spark application serves every run; false: a fresh Spark JVM per run
 * @param startTimeout    how long a run waits for the application to be ready (its first start or a restart)
 * @param cancelTimeout   how long a cancelled run may take to end before the application is restarted
 * @param backoffMin      wait before the first restart after the application died
 * @param backoffMax      the wait doubles with each restart in a row that did not stay up, up to this
 * @param maxAttempts     attempts of a run whose application died under it (the first included): the run fails
 *                        with the reason and a new run of the same dataset is queued until this many were made
 */
@ConfigurationProperties("etl.warm")
public record WarmSparkProperties(boolean enabled, Duration startTimeout, Duration cancelTimeout, Duration backoffMin,
                                  Duration backoffMax, int maxAttempts) {

    public WarmSparkProperties {
        startTimeout = startTimeout == null ? Duration.ofMinutes(5) : startTimeout;
        cancelTimeout = cancelTimeout == null ? Duration.ofSeconds(10) : cancelTimeout;
        backoffMin = backoffMin == null ? Duration.ofSeconds(1) : backoffMin;
        backoffMax = backoffMax == null ? Duration.ofMinutes(1) : backoffMax;
        maxAttempts = Math.max(1, maxAttempts);
    }
}

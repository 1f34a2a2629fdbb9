package ch.cern.alice.lakehouse.etl.schedule;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Continuous freshness (issue #14): a dataset's next run starts as soon as it has staged rows and its previous run
 * has ended, but not sooner than {@code minInterval} after the previous run started.
 *
 * @param enabled         {@code ETL_CONTINUOUS_ENABLED}: off, only the API, the cron and the threshold start runs
 * @param minInterval     {@code ETL_CONTINUOUS_MIN_INTERVAL}: least time between the starts of two runs of one
 *                        dataset (default 10 s)
 * @param failureBackoff  after a FAILED or CANCELLED run, the next one waits at least this long (default 1 min), so
 *                        a broken Spark setup is not restarted every few seconds
 * @param pollInterval    how often the datasets are looked at (default 1 s; one indexed query per dataset)
 */
@ConfigurationProperties("etl.continuous")
public record ContinuousProperties(boolean enabled, Duration minInterval, Duration failureBackoff,
                                   Duration pollInterval) {

    public ContinuousProperties {
        minInterval = minInterval == null || minInterval.isNegative() ? Duration.ofSeconds(10) : minInterval;
        failureBackoff = failureBackoff == null || failureBackoff.isNegative() ? Duration.ofMinutes(1)
                : failureBackoff;
        pollInterval = pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()
                ? Duration.ofSeconds(1) : pollInterval;
    }
}

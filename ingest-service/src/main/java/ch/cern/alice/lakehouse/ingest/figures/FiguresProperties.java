package ch.cern.alice.lakehouse.ingest.figures;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Durable figures settings (prefix {@code ingest.figures}; application.yml maps the {@code INGEST_FIGURES_*}
 * environment variables onto them).
 *
 * @param collectorTopic  the topic the collector sends its per-request outcome counts on
 * @param reportRetention how long the ids of added collector reports are kept (a report re-delivered later than
 *                        this would be added twice; Kafka re-delivers within minutes)
 * @param dailyAfter      hour rows of whole days older than this are folded into one row per day (at least 1 day,
 *                        so the "last hour" and "last day" windows always read hour rows)
 * @param monthlyAfter    rows of whole months older than this are folded into one row per month (at least
 *                        {@code dailyAfter})
 * @param rollupInterval  how often the roll-up runs (first run a minute after start)
 */
@ConfigurationProperties("ingest.figures")
public record FiguresProperties(String collectorTopic, Duration reportRetention, Duration dailyAfter,
                                Duration monthlyAfter, Duration rollupInterval) {

    public FiguresProperties {
        collectorTopic = collectorTopic == null || collectorTopic.isBlank() ? "lakehouse.collector-figures"
                : collectorTopic;
        reportRetention = reportRetention == null ? Duration.ofDays(7) : reportRetention;
        dailyAfter = dailyAfter == null ? Duration.ofDays(7) : dailyAfter;
        monthlyAfter = monthlyAfter == null ? Duration.ofDays(90) : monthlyAfter;
        rollupInterval = rollupInterval == null ? Duration.ofHours(1) : rollupInterval;
        if (dailyAfter.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("ingest.figures.daily-after (INGEST_FIGURES_DAILY_AFTER) must be at "
                    + "least 1d (the last-day window reads hour rows), got " + dailyAfter);
        }
        if (monthlyAfter.compareTo(dailyAfter) < 0) {
            throw new IllegalArgumentException("ingest.figures.monthly-after (INGEST_FIGURES_MONTHLY_AFTER) must be "
                    + "at least ingest.figures.daily-after (" + dailyAfter + "), got " + monthlyAfter);
        }
        if (rollupInterval.isNegative() || rollupInterval.isZero()) {
            throw new IllegalArgumentException("ingest.figures.rollup-interval (INGEST_FIGURES_ROLLUP_INTERVAL) must "
                    + "be positive, got " + rollupInterval);
        }
    }

    /** The defaults (as in application.yml). */
    public static FiguresProperties defaults() {
        return new FiguresProperties(null, null, null, null, null);
    }
}

package ch.cern.alice.lakehouse.simulator.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When simulated jobs reach their final state: "live" jobs end now; with a history window they end at a random moment
 * within the last N days, so a short run fills several months of partitions for demos.
 */
public final class TimeModel {

    private final Clock clock;
    private final Duration history;

    public TimeModel(Clock clock, Duration history) {
        this.clock = clock;
        this.history = history;
    }

    public static TimeModel live() {
        return new TimeModel(Clock.systemUTC(), Duration.ZERO);
    }

    public long nextFinalMillis(RandomGenerator random) {
        long now = clock.millis();
        if (history.isZero()) {
            return now - random.nextInt(5_000);
        }
        return now - (long) (random.nextDouble() * history.toMillis());
    }

    /**
     * Like {@link #nextFinalMillis(RandomGenerator)}, with a daily cycle: with a history window, moments are drawn
     * with a weight of {@code 1 + amplitude * cos(2 pi (hour - 15) / 24)} (UTC: most at 15:00, fewest at 03:00).
     */
    public long nextFinalMillis(RandomGenerator random, double amplitude) {
        if (history.isZero() || amplitude <= 0) {
            return nextFinalMillis(random);
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            long t = nextFinalMillis(random);
            if (random.nextDouble() * (1 + amplitude) <= dailyWeight(t, amplitude)) {
                return t;
            }
        }
        return nextFinalMillis(random);
    }

    /** The daily cycle's weight at a moment, between 1 - amplitude and 1 + amplitude. */
    public static double dailyWeight(long epochMillis, double amplitude) {
        double hour = Math.floorMod(epochMillis, 86_400_000L) / 3_600_000.0;
        return 1 + amplitude * Math.cos(2 * Math.PI * (hour - 15) / 24);
    }

    public long nowMillis() {
        return clock.millis();
    }
}

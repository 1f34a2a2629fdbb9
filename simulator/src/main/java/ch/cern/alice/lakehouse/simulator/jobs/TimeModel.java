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

    public long nowMillis() {
        return clock.millis();
    }
}

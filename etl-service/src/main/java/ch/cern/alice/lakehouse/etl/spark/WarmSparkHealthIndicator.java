package ch.cern.alice.lakehouse.etl.spark;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code sparkApplication} in etl-service's health: UP while the warm Spark application is ready or starting (or
 * when it is disabled: a Spark JVM per run), DOWN while it is being restarted after it died. Details (admins only):
 * state, pid, restarts, last error, runs in flight and served.
 */
@Component("sparkApplication")
public class WarmSparkHealthIndicator implements HealthIndicator {

    private final WarmSparkApplication application;

    public WarmSparkHealthIndicator(WarmSparkApplication application) {
        this.application = application;
    }

    @Override
    public Health health() {
        WarmSparkApplication.Status s = application.status();
        Health.Builder health = switch (s.state()) {
            case READY, STARTING, DISABLED -> Health.up();
            case RESTARTING, STOPPED -> Health.down();
        };
        health.withDetail("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                .withDetail("since", s.since().toString())
                .withDetail("restarts", s.restarts())
                .withDetail("runsInFlight", s.runsInFlight())
                .withDetail("runsServed", s.runsServed());
        if (s.pid() != null) {
            health.withDetail("pid", s.pid());
        }
        if (s.master() != null) {
            health.withDetail("master", s.master());
        }
        if (s.lastError() != null) {
            health.withDetail("lastError", s.lastError());
        }
        return health.build();
    }
}

package ch.cern.alice.lakehouse.collector.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.concurrent.ExecutionException;

/** Kafka is reachable and the topics exist; part of the readiness group. */
public final class KafkaHealthIndicator implements HealthIndicator {

    private static final int TIMEOUT_MS = 2_000;

    private final Admin admin;
    private final TopicProvisioner topics;

    public KafkaHealthIndicator(Admin admin, TopicProvisioner topics) {
        this.admin = admin;
        this.topics = topics;
    }

    @Override
    public Health health() {
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes().get().size();
            Health.Builder health = topics.isProvisioned() ? Health.up() : Health.down();
            return health.withDetail("brokers", brokers).withDetail("topicsReady", topics.isProvisioned()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", String.valueOf(e.getCause().getMessage()))
                    .withDetail("topicsReady", topics.isProvisioned()).build();
        }
    }
}

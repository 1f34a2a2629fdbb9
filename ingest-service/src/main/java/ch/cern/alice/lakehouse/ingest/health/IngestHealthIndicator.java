package ch.cern.alice.lakehouse.ingest.health;

import ch.cern.alice.lakehouse.ingest.consume.RetryBackoff;
import ch.cern.alice.lakehouse.ingest.consume.StagingBatchListener;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * {@code ingest} health: DOWN when the Kafka listener is not running or batches keep failing (staging database or
 * DLQ unavailable; the {@code db} indicator tells which). Details show since when and why.
 */
@Component("ingest")
public class IngestHealthIndicator implements HealthIndicator {

    private final KafkaListenerEndpointRegistry listeners;
    private final RetryBackoff backoff;

    public IngestHealthIndicator(KafkaListenerEndpointRegistry listeners, RetryBackoff backoff) {
        this.listeners = listeners;
        this.backoff = backoff;
    }

    @Override
    public Health health() {
        MessageListenerContainer container = listeners.getListenerContainer(StagingBatchListener.LISTENER_ID);
        boolean running = container != null && container.isRunning();
        int partitions = container == null || container.getAssignedPartitions() == null ? 0
                : container.getAssignedPartitions().size();
        Health.Builder health = running && backoff.failingSince() == null ? Health.up() : Health.down();
        health.withDetail("listenerRunning", running).withDetail("assignedPartitions", partitions);
        if (backoff.failingSince() != null) {
            health.withDetail("failingSince", backoff.failingSince().toString())
                    .withDetail("consecutiveFailures", backoff.consecutiveFailures())
                    .withDetail("lastError", String.valueOf(backoff.lastError()));
        }
        return health.build();
    }
}

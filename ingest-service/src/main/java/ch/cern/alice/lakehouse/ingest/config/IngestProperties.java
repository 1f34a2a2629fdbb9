package ch.cern.alice.lakehouse.ingest.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the ingest service (prefix {@code ingest}); application.yml maps the {@code INGEST_*} environment
 * variables onto them. Kafka consumer settings (group, concurrency, max.poll.records) live under
 * {@code spring.kafka}.
 *
 * @param retryInitialBackoff first pause after a failed staging write (the batch is re-polled after it)
 * @param retryMaxBackoff     the pause doubles per consecutive failure up to this
 * @param dlqSendTimeout      how long a batch waits for the dead-letter topic to acknowledge its records
 * @param lagRefreshInterval  how often consumer lag is measured (committed offsets vs. log end offsets)
 * @param topicPartitions     partitions of dataset topics created at start when missing
 * @param topicReplication    replication factor of topics created at start when missing
 */
@ConfigurationProperties(prefix = "ingest")
public record IngestProperties(
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        Duration dlqSendTimeout,
        Duration lagRefreshInterval,
        Integer topicPartitions,
        Short topicReplication) {

    public IngestProperties {
        retryInitialBackoff = positive(retryInitialBackoff, Duration.ofMillis(500), "retry-initial-backoff");
        retryMaxBackoff = positive(retryMaxBackoff, Duration.ofSeconds(30), "retry-max-backoff");
        dlqSendTimeout = positive(dlqSendTimeout, Duration.ofSeconds(30), "dlq-send-timeout");
        lagRefreshInterval = positive(lagRefreshInterval, Duration.ofSeconds(10), "lag-refresh-interval");
        topicPartitions = topicPartitions == null ? 6 : topicPartitions;
        topicReplication = topicReplication == null ? 1 : topicReplication;
        if (topicPartitions <= 0 || topicReplication <= 0) {
            throw new IllegalArgumentException(
                    "ingest.topic-partitions and ingest.topic-replication must be positive");
        }
        if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "ingest.retry-max-backoff must not be below ingest.retry-initial-backoff");
        }
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("ingest." + name + " must be positive, got " + value);
        }
        return value;
    }
}

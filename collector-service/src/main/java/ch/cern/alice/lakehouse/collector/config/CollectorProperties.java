package ch.cern.alice.lakehouse.collector.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the collector (prefix {@code collector}); application.yml maps the {@code COLLECTOR_*} environment
 * variables onto them.
 *
 * @param siteKeys             {@code site:sha256hex:ds1|ds2|*;...} entries ({@code {plain}KEY} accepted for demos)
 * @param siteKeysFile         optional file with more entries, one per line or separated by ';'
 * @param maxBodyBytes         limit on the request body, counted both before and after gzip decompression
 * @param maxRecords           limit on the number of records of one request
 * @param maxInflightRequests  requests processed at once; more get 429
 * @param kafkaAckTimeout      how long a request waits for Kafka to acknowledge all its records before 503
 * @param retryAfter           value of Retry-After on 429/503
 * @param topicPartitions      partitions of topics created at start
 * @param topicReplication     replication factor of topics created at start
 */
@ConfigurationProperties(prefix = "collector")
public record CollectorProperties(
        String siteKeys,
        String siteKeysFile,
        DataSize maxBodyBytes,
        Integer maxRecords,
        Integer maxInflightRequests,
        Duration kafkaAckTimeout,
        Duration retryAfter,
        Integer topicPartitions,
        Short topicReplication) {

    public CollectorProperties {
        siteKeys = siteKeys == null ? "" : siteKeys;
        siteKeysFile = siteKeysFile == null ? "" : siteKeysFile;
        maxBodyBytes = maxBodyBytes == null ? DataSize.ofMegabytes(16) : maxBodyBytes;
        maxRecords = maxRecords == null ? 50_000 : maxRecords;
        maxInflightRequests = maxInflightRequests == null ? 64 : maxInflightRequests;
        kafkaAckTimeout = kafkaAckTimeout == null ? Duration.ofSeconds(10) : kafkaAckTimeout;
        retryAfter = retryAfter == null ? Duration.ofSeconds(5) : retryAfter;
        topicPartitions = topicPartitions == null ? 6 : topicPartitions;
        topicReplication = topicReplication == null ? 1 : topicReplication;
        require(maxBodyBytes.toBytes() > 0, "collector.max-body-bytes must be positive");
        require(maxRecords > 0, "collector.max-records must be positive");
        require(maxInflightRequests > 0, "collector.max-inflight-requests must be positive");
        require(!kafkaAckTimeout.isNegative() && !kafkaAckTimeout.isZero(), "collector.kafka-ack-timeout must be positive");
        require(topicPartitions > 0, "collector.topic-partitions must be positive");
        require(topicReplication > 0, "collector.topic-replication must be positive");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Whole seconds for the Retry-After header, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}

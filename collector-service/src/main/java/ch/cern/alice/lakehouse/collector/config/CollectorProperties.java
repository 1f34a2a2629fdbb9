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
 * @param maxRecordBytes       largest record accepted: the bytes of its Kafka message (encoded envelope + dedup key);
 *                             a larger record is rejected on its own, the rest of its batch is kept
 * @param kafkaMaxMessageBytes Kafka message size the collector configures: producer {@code max.request.size} and
 *                             {@code max.message.bytes} of the topics it creates; the broker's
 *                             {@code message.max.bytes} must be at least this. At least maxRecordBytes +
 *                             {@link #KAFKA_RECORD_OVERHEAD_BYTES}
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
        Short topicReplication,
        DataSize maxRecordBytes,
        DataSize kafkaMaxMessageBytes) {

    /** 1 MiB: the default record limit. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 1_048_576;
    /** Default Kafka message limit: the record limit + 64 KiB. */
    public static final long DEFAULT_KAFKA_MAX_MESSAGE_BYTES = DEFAULT_MAX_RECORD_BYTES + 65_536;
    /**
     * What Kafka adds around one record at most: record batch header (61 bytes), record header (varints, &lt; 30
     * bytes) and what compression can add to incompressible data (lz4/snappy/gzip/zstd framing, well under 1 KiB
     * for 1 MiB).
     */
    public static final long KAFKA_RECORD_OVERHEAD_BYTES = 1_024;

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
        maxRecordBytes = maxRecordBytes == null ? DataSize.ofBytes(DEFAULT_MAX_RECORD_BYTES) : maxRecordBytes;
        kafkaMaxMessageBytes = kafkaMaxMessageBytes == null ? DataSize.ofBytes(DEFAULT_KAFKA_MAX_MESSAGE_BYTES)
                : kafkaMaxMessageBytes;
        require(maxBodyBytes.toBytes() > 0, "collector.max-body-bytes must be positive");
        require(maxRecords > 0, "collector.max-records must be positive");
        require(maxInflightRequests > 0, "collector.max-inflight-requests must be positive");
        require(!kafkaAckTimeout.isNegative() && !kafkaAckTimeout.isZero(), "collector.kafka-ack-timeout must be positive");
        require(topicPartitions > 0, "collector.topic-partitions must be positive");
        require(topicReplication > 0, "collector.topic-replication must be positive");
        require(maxRecordBytes.toBytes() > 0, "collector.max-record-bytes (COLLECTOR_MAX_RECORD_BYTES) must be positive");
        require(kafkaMaxMessageBytes.toBytes() <= Integer.MAX_VALUE,
                "collector.kafka-max-message-bytes (LAKEHOUSE_KAFKA_MAX_MESSAGE_BYTES) must be below 2 GiB");
        require(kafkaMaxMessageBytes.toBytes() >= maxRecordBytes.toBytes() + KAFKA_RECORD_OVERHEAD_BYTES,
                "collector.kafka-max-message-bytes (LAKEHOUSE_KAFKA_MAX_MESSAGE_BYTES) is "
                        + kafkaMaxMessageBytes.toBytes() + " bytes but must be at least collector.max-record-bytes "
                        + "(COLLECTOR_MAX_RECORD_BYTES, " + maxRecordBytes.toBytes() + " bytes) + "
                        + KAFKA_RECORD_OVERHEAD_BYTES + " bytes of Kafka overhead; raise it together with the "
                        + "broker's message.max.bytes");
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

package ch.cern.alice.lakehouse.collector.kafka;

import ch.cern.alice.lakehouse.collector.config.CollectorProperties;
import ch.cern.alice.lakehouse.collector.stats.CollectorStats;
import ch.cern.alice.lakehouse.collector.stats.FiguresReporter;
import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kafka clients of the collector, built from the standard {@code spring.kafka.*} properties (bootstrap servers,
 * security, producer tuning in application.yml) with the delivery guarantees forced on.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    /** Closed by {@link KafkaRecordPublisher#close()} with a timeout. */
    @Bean(destroyMethod = "")
    Producer<String, byte[]> recordProducer(KafkaProperties kafka, CollectorProperties collector) {
        Map<String, Object> config = kafka.buildProducerProperties();
        // Never trade durability for speed: 202 means the record is on all in-sync replicas, exactly once per send.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // send() blocks for metadata or buffer space at most as long as a request waits for its acks.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, collector.kafkaAckTimeout().toMillis());
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "collector-service");
        // Room for the largest record the collector accepts; the topics get the same max.message.bytes. An explicit
        // spring.kafka.producer.properties.max.request.size wins (records over it are then refused one by one).
        long maxMessageBytes = collector.kafkaMaxMessageBytes().toBytes();
        Object explicit = config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) maxMessageBytes);
        if (explicit != null && Long.parseLong(explicit.toString().strip()) < maxMessageBytes) {
            log.warn("Producer max.request.size is set to {} bytes, below collector.kafka-max-message-bytes ({}): "
                    + "records between the two are rejected as too large", explicit, maxMessageBytes);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    KafkaRecordPublisher kafkaRecordPublisher(Producer<String, byte[]> recordProducer, CollectorProperties collector,
                                              MeterRegistry registry) {
        return new KafkaRecordPublisher(recordProducer, collector.kafkaAckTimeout(), registry);
    }

    /** Closed by {@link TopicProvisioner#close()} with a timeout. */
    @Bean(destroyMethod = "")
    Admin collectorAdmin(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildAdminProperties();
        config.putIfAbsent("client.id", "collector-service-admin");
        return Admin.create(config);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    TopicProvisioner topicProvisioner(Admin collectorAdmin, DatasetCatalog catalog, CollectorProperties collector,
                                      @Value("${collector.figures.topic:lakehouse.collector-figures}")
                                      String figuresTopic) {
        List<String> topics = new ArrayList<>(catalog.topics());
        topics.add(DatasetDescriptor.DLQ_TOPIC);
        topics.add(figuresTopic);
        return new TopicProvisioner(collectorAdmin, topics, collector.topicPartitions(), collector.topicReplication(),
                collector.kafkaMaxMessageBytes().toBytes());
    }

    /** The collector's outcome counts go to ingest-service, which keeps them (ingest.figures). */
    @Bean(initMethod = "start", destroyMethod = "close")
    FiguresReporter figuresReporter(CollectorStats stats, Producer<String, byte[]> recordProducer,
                                    CollectorProperties collector,
                                    @Value("${collector.figures.topic:lakehouse.collector-figures}") String topic,
                                    @Value("${collector.figures.report-interval:5s}") Duration interval) {
        return new FiguresReporter(stats, recordProducer, topic, interval, collector.kafkaAckTimeout());
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(Admin collectorAdmin, TopicProvisioner topicProvisioner) {
        return new KafkaHealthIndicator(collectorAdmin, topicProvisioner);
    }
}

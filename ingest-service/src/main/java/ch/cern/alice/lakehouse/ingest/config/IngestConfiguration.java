package ch.cern.alice.lakehouse.ingest.config;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.backoff.ExponentialBackOff;

import java.util.ArrayList;
import java.util.List;

/** Kafka topics and error handling. The {@link DatasetCatalog} bean comes from service-support (support.dataset). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(IngestProperties.class)
public class IngestConfiguration {

    /**
     * Dataset topics and the dead-letter topic, created when missing so the ingest service can start before the
     * collector. Existing topics are left as they are.
     */
    @Bean
    public KafkaAdmin.NewTopics lakehouseTopics(DatasetCatalog catalog, IngestProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : catalog.topics()) {
            topics.add(TopicBuilder.name(topic).partitions(properties.topicPartitions())
                    .replicas(properties.topicReplication()).build());
        }
        topics.add(TopicBuilder.name(DatasetDescriptor.DLQ_TOPIC).partitions(properties.topicPartitions())
                .replicas(properties.topicReplication()).build());
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /**
     * Last line of defence for unexpected listener failures (the listener itself handles staging and DLQ outages
     * with nack + back-off). It retries the batch forever instead of skipping records: nothing may be lost.
     */
    @Bean
    public CommonErrorHandler ingestErrorHandler(IngestProperties properties) {
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryInitialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMaxBackoff().toMillis());
        return new DefaultErrorHandler((record, e) -> {
            throw new IllegalStateException("unreachable: unlimited retries never recover a record", e);
        }, backOff);
    }
}

package ch.cern.alice.lakehouse.ingest.metrics;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.ingest.config.IngestProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures consumer lag per dataset: log end offset minus the group's committed offset (or minus the log start when
 * nothing was committed yet), summed over the topic's partitions. Lag counts what is not yet committed, i.e. not
 * yet safely staged. Measured periodically with an admin client so that scrapes and stats calls stay cheap.
 */
@Component
public class ConsumerLagMonitor implements SmartLifecycle {

    public static final String CONSUMER_LAG = "lakehouse.ingest.consumer.lag";

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMonitor.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 10;

    private final KafkaAdmin kafkaAdmin;
    private final TaskScheduler scheduler;
    private final DatasetCatalog catalog;
    private final IngestProperties properties;
    private final String groupId;
    private final Map<String, Long> lagByDataset = new ConcurrentHashMap<>();
    private volatile Instant measuredAt;
    private volatile Admin admin;
    private volatile ScheduledFuture<?> schedule;

    public ConsumerLagMonitor(KafkaAdmin kafkaAdmin, TaskScheduler scheduler, DatasetCatalog catalog,
                              IngestProperties properties, MeterRegistry registry,
                              @Value("${spring.kafka.consumer.group-id}") String groupId) {
        this.kafkaAdmin = kafkaAdmin;
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.properties = properties;
        this.groupId = groupId;
        for (String dataset : catalog.names()) {
            Gauge.builder(CONSUMER_LAG, lagByDataset, lags -> lags.getOrDefault(dataset, -1L).doubleValue())
                    .description("Records on the dataset topic not yet committed by the ingest group (-1: unknown)")
                    .tag("dataset", dataset)
                    .register(registry);
        }
    }

    /** Lag per dataset as of {@link #measuredAt()}; datasets not measured yet are absent. */
    public Map<String, Long> lagByDataset() {
        return Map.copyOf(lagByDataset);
    }

    public Instant measuredAt() {
        return measuredAt;
    }

    /** Measures now; failures (Kafka unreachable) are logged and keep the previous figures. */
    public void refresh() {
        try {
            Admin client = admin;
            if (client == null) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, KafkaFuture<TopicDescription>> described =
                    client.describeTopics(catalog.topics()).topicNameValues();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
                TopicDescription description;
                try {
                    description = topic.getValue().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    continue; // topic not created yet: no lag
                }
                description.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(topic.getKey(), p.partition());
                    latest.put(tp, OffsetSpec.latest());
                    earliest.put(tp, OffsetSpec.earliest());
                });
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    client.listOffsets(latest).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
                    client.listOffsets(earliest).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, Long> lags = new HashMap<>();
            catalog.topics().forEach(t -> lags.put(datasetOf(t), 0L));
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                long from = done != null ? done.offset() : starts.get(end.getKey()).offset();
                lags.merge(datasetOf(end.getKey().topic()), Math.max(0, end.getValue().offset() - from), Long::sum);
            }
            lagByDataset.putAll(lags);
            measuredAt = Instant.now();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Could not measure consumer lag of group {}: {}", groupId, e.toString());
        }
    }

    private String datasetOf(String topic) {
        return catalog.byTopic(topic).map(DatasetDescriptor::name).orElse(topic);
    }

    @Override
    public void start() {
        admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        schedule = scheduler.scheduleWithFixedDelay(this::refresh, properties.lagRefreshInterval());
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = schedule;
        if (running != null) {
            running.cancel(true);
        }
        Admin client = admin;
        admin = null;
        if (client != null) {
            client.close(java.time.Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean isRunning() {
        return admin != null;
    }
}

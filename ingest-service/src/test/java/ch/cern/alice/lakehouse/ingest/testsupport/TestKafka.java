package ch.cern.alice.lakehouse.ingest.testsupport;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** An in-process KRaft Kafka broker on a random port with the dataset topics, plus client helpers. */
public final class TestKafka implements AutoCloseable {

    public static final int PARTITIONS = 3;

    private final EmbeddedKafkaKraftBroker broker;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    public TestKafka(DatasetCatalog catalog) {
        List<String> topics = new ArrayList<>(catalog.topics());
        topics.add(DatasetDescriptor.DLQ_TOPIC);
        broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, topics.toArray(String[]::new));
        broker.afterPropertiesSet();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap()));
    }

    public String bootstrap() {
        return broker.getBrokersAsString();
    }

    /** Sends and waits for the broker's ack. */
    public void send(String topic, Integer partition, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, key == null ? null : utf8(key), value))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    /** Sends many without waiting per record, then waits for all acks. */
    public void sendAll(String topic, List<Map.Entry<String, byte[]>> keyedValues) {
        var futures = keyedValues.stream()
                .map(kv -> producer.send(new ProducerRecord<>(topic, utf8(kv.getKey()), kv.getValue())))
                .toList();
        producer.flush();
        for (var f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("send to " + topic + " failed", e);
            }
        }
    }

    /** Committed offsets of a consumer group (partitions without a commit are absent). */
    public Map<TopicPartition, Long> committed(String groupId) {
        try {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sets a consumer group's committed offsets of every partition of {@code topics} back to 0, so everything is
     * delivered again. The group must have no members (stop its consumers first); retried while they leave.
     */
    public void rewind(String groupId, List<String> topics) {
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> start = new HashMap<>();
        endOffsets(topics).keySet().forEach(tp -> start.put(tp,
                new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                admin.alterConsumerGroupOffsets(groupId, start).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("cannot rewind group " + groupId, e);
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    public Map<TopicPartition, Long> endOffsets(List<String> topics) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            described.forEach((topic, d) -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Partitions where the group has not committed everything written (-> end offset vs. committed). */
    public Map<TopicPartition, String> uncommitted(String groupId, List<String> topics) {
        Map<TopicPartition, Long> committed = committed(groupId);
        return endOffsets(topics).entrySet().stream()
                .filter(e -> committed.getOrDefault(e.getKey(), 0L) < e.getValue())
                .collect(Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue() + " vs " + committed.get(e.getKey())));
    }

    /** Every record of the DLQ topic so far. */
    public List<ConsumerRecord<byte[], byte[]>> readDeadLetters() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            List<TopicPartition> partitions = endOffsets(List.of(DatasetDescriptor.DLQ_TOPIC)).keySet().stream()
                    .toList();
            Map<TopicPartition, Long> ends = endOffsets(List.of(DatasetDescriptor.DLQ_TOPIC));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        broker.destroy();
    }
}

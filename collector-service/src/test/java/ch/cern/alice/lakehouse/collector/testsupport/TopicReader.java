package ch.cern.alice.lakehouse.collector.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/** Reads a topic from the beginning with a plain consumer (no group) to check what the collector published. */
public final class TopicReader {

    private TopicReader() {
    }

    /** All records of the topic whose key matches, by key; waits until {@code expected} of them were seen. */
    public static Map<String, ConsumerRecord<String, String>> readKeys(String bootstrap, String topic,
                                                                       Predicate<String> keyFilter, int expected,
                                                                       Duration timeout) {
        Map<String, ConsumerRecord<String, String>> found = new LinkedHashMap<>();
        read(bootstrap, topic, keyFilter, record -> found.put(record.key(), record), found::size, expected, timeout);
        return found;
    }

    /** Every record of the topic whose key matches, in offset order per partition; waits for {@code expected}. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic,
                                                               Predicate<String> keyFilter, int expected,
                                                               Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        read(bootstrap, topic, keyFilter, found::add, found::size, expected, timeout);
        return found;
    }

    /**
     * Hands every matching record to {@code sink} from the beginning of the topic until {@code collected} reaches
     * {@code expected} and the consumer has caught up with the end offsets, or the timeout passes.
     */
    private static void read(String bootstrap, String topic, Predicate<String> keyFilter,
                             Consumer<ConsumerRecord<String, String>> sink, IntSupplier collected, int expected,
                             Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keyFilter.test(record.key())) {
                        sink.accept(record);
                    }
                }
                if (collected.getAsInt() >= expected && caughtUp(consumer, end)) {
                    break;
                }
            }
        }
    }

    /** Total number of records in the topic (sum of end offsets; the topic is never compacted or deleted here). */
    public static long size(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : assigned) {
            positions.put(tp, consumer.position(tp));
        }
        return end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}

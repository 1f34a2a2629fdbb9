package ch.cern.alice.lakehouse.collector.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Creates the dataset topics and the dead-letter topic if they are missing, with {@code max.message.bytes} room for
 * the largest record the collector accepts, and raises {@code max.message.bytes} of existing ones that are below it
 * (never lowers it). Runs in the background so the service starts even while Kafka is down, and retries until it
 * succeeds; readiness reports it. Owns the admin client.
 */
public final class TopicProvisioner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(10);
    private static final int ADMIN_TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final List<String> topics;
    private final int partitions;
    private final short replication;
    private final long maxMessageBytes;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "topic-provisioner");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean provisioned;

    public TopicProvisioner(Admin admin, List<String> topics, int partitions, short replication,
                            long maxMessageBytes) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.partitions = partitions;
        this.replication = replication;
        this.maxMessageBytes = maxMessageBytes;
    }

    public void start() {
        executor.execute(this::attempt);
    }

    public boolean isProvisioned() {
        return provisioned;
    }

    public List<String> topics() {
        return topics;
    }

    private void attempt() {
        try {
            createMissing();
            raiseMessageLimitOfExisting();
            provisioned = true;
            log.info("Kafka topics ready: {}", topics);
        } catch (Exception e) {
            log.warn("Could not create Kafka topics yet ({}); retrying in {} s", rootMessage(e),
                    RETRY_DELAY.toSeconds());
            if (!executor.isShutdown()) {
                executor.schedule(this::attempt, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void createMissing() throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics(new ListTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).names().get();
        Map<String, String> configs = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(maxMessageBytes));
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                .map(t -> new NewTopic(t, partitions, replication).configs(configs)).toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results =
                admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get();
                log.info("Created topic {} ({} partitions, replication {}, max.message.bytes {})", result.getKey(),
                        partitions, replication, maxMessageBytes);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Topics created before (by an older collector, by hand, or with the broker's default) may hold a smaller
     * {@code max.message.bytes}. Raising it is best effort: without the right (ALTER_CONFIGS) the collector still
     * works, and a record the topic refuses is rejected on its own.
     */
    private void raiseMessageLimitOfExisting() throws InterruptedException {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        try {
            Map<ConfigResource, Config> current = admin.describeConfigs(resources,
                    new DescribeConfigsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).all().get();
            Map<ConfigResource, Collection<AlterConfigOp>> raises = new LinkedHashMap<>();
            for (Map.Entry<ConfigResource, Config> topic : current.entrySet()) {
                ConfigEntry entry = topic.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry == null || entry.value() == null || Long.parseLong(entry.value()) < maxMessageBytes) {
                    raises.put(topic.getKey(), List.of(new AlterConfigOp(new ConfigEntry(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(maxMessageBytes)),
                            AlterConfigOp.OpType.SET)));
                    log.info("Raising max.message.bytes of topic {} from {} to {}", topic.getKey().name(),
                            entry == null ? null : entry.value(), maxMessageBytes);
                }
            }
            if (!raises.isEmpty()) {
                admin.incrementalAlterConfigs(raises, new AlterConfigsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).all()
                        .get();
            }
        } catch (ExecutionException | RuntimeException e) {
            log.warn("Could not check or raise max.message.bytes of the topics to {} ({}); records the topics refuse "
                    + "as too large are rejected one by one", maxMessageBytes, rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Also closes the admin client, which this class owns. */
    @Override
    public void close() {
        executor.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}

package ch.cern.alice.lakehouse.collector.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Creates the dataset topics and the dead-letter topic if they are missing. Runs in the background so the service
 * starts even while Kafka is down, and retries until it succeeds; readiness reports it. Owns the admin client.
 */
public final class TopicProvisioner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(10);
    private static final int ADMIN_TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final List<String> topics;
    private final int partitions;
    private final short replication;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "topic-provisioner");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean provisioned;

    public TopicProvisioner(Admin admin, List<String> topics, int partitions, short replication) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.partitions = partitions;
        this.replication = replication;
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
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                .map(t -> new NewTopic(t, partitions, replication)).toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results =
                admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get();
                log.info("Created topic {} ({} partitions, replication {})", result.getKey(), partitions, replication);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
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

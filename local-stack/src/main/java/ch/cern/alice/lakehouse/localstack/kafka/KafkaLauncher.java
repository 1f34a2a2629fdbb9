package ch.cern.alice.lakehouse.localstack.kafka;

import ch.cern.alice.lakehouse.localstack.LauncherArgs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

/**
 * Runs a single-node Kafka 4 broker+controller (KRaft) on 127.0.0.1 from the Maven jars. The log directory is
 * formatted once ({@code kafka.tools.StorageTool format}); later starts reuse it, so topics and offsets survive.
 * Prints {@code READY kafka ...} once the broker accepts connections.
 *
 * <p>Options: {@code --port} (9092), {@code --controller-port} (9093), {@code --data-dir} (.data/kafka),
 * {@code --partitions} (default partitions of auto-created topics, 3), {@code --max-message-bytes} (broker
 * {@code message.max.bytes}, env {@code LAKEHOUSE_KAFKA_MAX_MESSAGE_BYTES}, default {@value #DEFAULT_MAX_MESSAGE_BYTES}:
 * the collector's 1 MiB record limit + 64 KiB, the same value the collector gives its producer and topics).
 */
public final class KafkaLauncher {

    /** 1 MiB + 64 KiB: room for the collector's default record limit (docs/contracts.md, Kafka). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_114_112;

    private KafkaLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:local-stack-kafka-log4j2.properties");
        }
        LauncherArgs options = new LauncherArgs(args);
        int port = options.getInt("port", null, 9092);
        int controllerPort = options.getInt("controller-port", null, port + 1);
        int partitions = options.getInt("partitions", null, 3);
        int maxMessageBytes = options.getInt("max-message-bytes", "LAKEHOUSE_KAFKA_MAX_MESSAGE_BYTES",
                DEFAULT_MAX_MESSAGE_BYTES);
        Path dataDir = Path.of(options.get("data-dir", null, ".data/kafka")).toAbsolutePath();

        Path config = writeServerProperties(dataDir, port, controllerPort, partitions, maxMessageBytes);
        formatStorageIfNeeded(dataDir, config);
        announceWhenReady(port, dataDir);
        kafka.Kafka.main(new String[] {config.toString()});
    }

    static Path writeServerProperties(Path dataDir, int port, int controllerPort, int partitions, int maxMessageBytes)
            throws IOException {
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("logs").toString());
        p.setProperty("num.partitions", String.valueOf(partitions));
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.retention.hours", "168");
        // largest record batch the broker accepts (topics may override it; the collector sets the same value on
        // its topics); replicas must be able to fetch such a batch
        p.setProperty("message.max.bytes", String.valueOf(maxMessageBytes));
        p.setProperty("replica.fetch.max.bytes", String.valueOf(Math.max(maxMessageBytes, 1_048_576)));
        Path file = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "written by local-stack KafkaLauncher on every start");
        }
        return file;
    }

    private static void formatStorageIfNeeded(Path dataDir, Path config) throws IOException {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        String clusterId = clusterId(dataDir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + rc);
        }
    }

    /** Kafka wants a base64 UUID (22 chars); keep it in a file so re-formatting a wiped log dir keeps the id. */
    private static String clusterId(Path dataDir) throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        if (Files.exists(idFile)) {
            return Files.readString(idFile).strip();
        }
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        Files.writeString(idFile, id);
        return id;
    }

    private static void announceWhenReady(int port, Path dataDir) {
        Thread t = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    System.out.println("READY kafka bootstrap=127.0.0.1:" + port + " dataDir=" + dataDir);
                    return;
                } catch (IOException e) {
                    sleep(250);
                }
            }
            System.err.println("kafka did not open port " + port + " within 120 s");
        }, "kafka-ready-probe");
        t.setDaemon(true);
        t.start();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

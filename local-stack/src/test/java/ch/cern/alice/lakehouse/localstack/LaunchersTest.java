package ch.cern.alice.lakehouse.localstack;

import ch.cern.alice.lakehouse.process.FileTrees;
import ch.cern.alice.lakehouse.localstack.kafka.KafkaLauncher;
import ch.cern.alice.lakehouse.localstack.s3.MiniS3Client;
import ch.cern.alice.lakehouse.localstack.s3.S3ProxyLauncher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts Postgres, Kafka and S3Proxy through the launchers, each as its own JVM on the classpath file ./lakehouse
 * uses, on random free ports; checks each is usable; stops them by PID and checks nothing is left running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LaunchersTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path workDir = Path.of("target", "launchers-test-" + UUID.randomUUID()).toAbsolutePath();
    private final List<LaunchedProcess> running = new ArrayList<>();
    private int pgPort;
    private int kafkaPort;
    private int s3Port;
    private LaunchedProcess postgres;
    private LaunchedProcess kafka;
    private LaunchedProcess s3;

    @BeforeAll
    void startAll() throws Exception {
        Files.createDirectories(workDir);
        pgPort = LaunchedProcess.freePort();
        kafkaPort = LaunchedProcess.freePort();
        int controllerPort = LaunchedProcess.freePort();
        s3Port = LaunchedProcess.freePort();
        postgres = track(startPostgres());
        kafka = track(LaunchedProcess.start("kafka", "kafka.classpath",
                "ch.cern.alice.lakehouse.localstack.kafka.KafkaLauncher", workDir,
                "--port", String.valueOf(kafkaPort), "--controller-port", String.valueOf(controllerPort),
                "--data-dir", workDir.resolve("kafka").toString()));
        s3 = track(LaunchedProcess.start("s3", "s3.classpath", "ch.cern.alice.lakehouse.localstack.s3.S3ProxyLauncher", workDir,
                "--port", String.valueOf(s3Port), "--base-dir", workDir.resolve("s3").toString(),
                "--jar", LaunchedProcess.STACK_DIR.resolve("s3proxy.jar").toAbsolutePath().toString(),
                "--access-key", S3ProxyLauncher.DEFAULT_ACCESS_KEY, "--secret-key", S3ProxyLauncher.DEFAULT_SECRET_KEY,
                "--bucket", "lakehouse"));
        for (LaunchedProcess p : running) {
            p.awaitReady(START_TIMEOUT);
        }
    }

    private LaunchedProcess startPostgres() throws Exception {
        return LaunchedProcess.start("postgres", "postgres.classpath",
                "ch.cern.alice.lakehouse.localstack.postgres.PostgresLauncher", workDir,
                "--port", String.valueOf(pgPort), "--data-dir", workDir.resolve("postgres").toString());
    }

    private LaunchedProcess track(LaunchedProcess p) {
        running.add(p);
        return p;
    }

    @AfterAll
    void stopAll() throws Exception {
        for (LaunchedProcess p : running) {
            if (p.isAlive()) {
                p.stop(STOP_GRACE);
            }
        }
        if (running.stream().noneMatch(LaunchedProcess::isAlive)) {
            FileTrees.deleteRecursively(workDir);
        }
    }


    @Test
    @Order(1)
    void postgresServesTheLakehouseDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            try (ResultSet owner = st.executeQuery(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) {
                assertThat(owner.next()).isTrue();
                assertThat(owner.getString(1)).as("no service's role owns the database").isEqualTo("postgres");
            }
            try (ResultSet schemas = st.executeQuery("SELECT nspname || ':' || pg_get_userbyid(nspowner) "
                    + "FROM pg_namespace WHERE nspowner::regrole::text LIKE 'lakehouse\\_%' ORDER BY 1")) {
                List<String> owned = new ArrayList<>();
                while (schemas.next()) {
                    owned.add(schemas.getString(1));
                }
                assertThat(owned).as("deploy/postgres/roles.sql applied").containsExactly("etl:lakehouse_etl",
                        "ingest:lakehouse_ingest", "query:lakehouse_query", "staging:lakehouse_staging",
                        "versioning:lakehouse_versioning");
            }
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "lakehouse_etl", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE etl.survives_restart (id int PRIMARY KEY, note text)");
            st.execute("INSERT INTO etl.survives_restart VALUES (1, 'written before restart')");
            try (ResultSet rs = st.executeQuery("SELECT current_database(), version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("lakehouse");
                assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
            }
        }
    }

    @Test
    @Order(2)
    void postgresKeepsDataAcrossAStopAndStartAndLeavesNoServerBehind() throws Exception {
        long postmasterPid = Long.parseLong(Files.readAllLines(workDir.resolve("postgres/postmaster.pid")).get(0));
        assertThat(ProcessHandle.of(postmasterPid)).isPresent();

        assertThat(postgres.stop(STOP_GRACE)).as("launcher exit code after SIGTERM").isIn(0, 143);
        assertThat(exitsWithin(postmasterPid, Duration.ofSeconds(15)))
                .as("postgres server process %d stopped with its launcher", postmasterPid).isTrue();

        postgres = track(startPostgres());
        postgres.awaitReady(START_TIMEOUT);
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "lakehouse_etl", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM etl.survives_restart WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("written before restart");
        }
    }

    @Test
    @Order(3)
    void kafkaAcceptsAndDeliversAMessage() throws Exception {
        String topic = "lakehouse.launcher_test";
        String bootstrap = "127.0.0.1:" + kafkaPort;
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            sent = producer.send(new ProducerRecord<>(topic, "3100200300", "{\"job_id\":3100200300}")).get();
        }
        assertThat(sent.topic()).isEqualTo(topic);

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "launcher-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(1);
        assertThat(received.get(0).key()).isEqualTo("3100200300");
        assertThat(received.get(0).value()).isEqualTo("{\"job_id\":3100200300}");
    }

    @Test
    @Order(3)
    void kafkaTakesMessagesUpToTheCollectorsMessageLimit() throws Exception {
        String bootstrap = "127.0.0.1:" + kafkaPort;
        // over Kafka's default message.max.bytes (1048588), within the launcher's default (1 MiB + 64 KiB)
        String value = "x".repeat(1_100_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaLauncher.DEFAULT_MAX_MESSAGE_BYTES,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            RecordMetadata sent = producer.send(new ProducerRecord<>("lakehouse.launcher_large", "k", value)).get();
            assertThat(sent.serializedValueSize()).isEqualTo(1_100_000);
        }
    }

    @Test
    @Order(4)
    void s3ProxyHasTheBucketAndStoresObjectsWithSigV4() throws Exception {
        MiniS3Client client = new MiniS3Client(URI.create("http://127.0.0.1:" + s3Port),
                S3ProxyLauncher.DEFAULT_ACCESS_KEY, S3ProxyLauncher.DEFAULT_SECRET_KEY, "us-east-1");
        assertThat(client.listBuckets()).contains("lakehouse");
        assertThat(client.createBucketIfMissing("lakehouse")).as("second create is a no-op").isFalse();

        client.putObject("lakehouse", "trace/_probe.json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(client.getObject("lakehouse", "trace/_probe.json")).isEqualTo("{\"ok\":true}");
        assertThat(workDir.resolve("s3/lakehouse/trace/_probe.json")).as("objects are plain files").exists();

        MiniS3Client wrongSecret = new MiniS3Client(URI.create("http://127.0.0.1:" + s3Port),
                S3ProxyLauncher.DEFAULT_ACCESS_KEY, "not-the-secret", "us-east-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(wrongSecret::listBuckets)
                .hasMessageContaining("HTTP 403");
    }

    @Test
    @Order(5)
    void stoppingByPidLeavesNoProcessBehind() throws Exception {
        long postmasterPid = Long.parseLong(Files.readAllLines(workDir.resolve("postgres/postmaster.pid")).get(0));
        for (LaunchedProcess p : List.of(postgres, kafka, s3)) {
            int exit = p.stop(STOP_GRACE);
            assertThat(p.isAlive()).isFalse();
            assertThat(exit).as("%s exit code after SIGTERM (0 or 143 = clean)", p.pid()).isIn(0, 143);
            assertThat(p.survivingDescendants()).as("children of %s", p.pid()).isEmpty();
        }
        assertThat(exitsWithin(postmasterPid, Duration.ofSeconds(15))).as("postgres server stopped").isTrue();
    }

    /** pg_ctl stop returns once postmaster.pid is gone, a moment before the server process has exited. */
    private static boolean exitsWithin(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(100);
            } else {
                return true;
            }
        }
        return false;
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/lakehouse";
    }
}

package ch.cern.alice.lakehouse.e2e;

import ch.cern.alice.lakehouse.collector.CollectorApplication;
import ch.cern.alice.lakehouse.ingest.IngestApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * The ingest path of the lakehouse in one JVM: an embedded KRaft Kafka broker and an embedded PostgreSQL (its own
 * process) on random ports, collector-service and ingest-service started as Spring Boot applications on random
 * HTTP ports. The ingest service can be stopped and started again while the rest keeps running.
 */
public final class LakehouseStack implements AutoCloseable {

    public static final String CERN_KEY = "cern-e2e-key";
    public static final String FZK_KEY = "fzk-e2e-key";
    /** CERN may send every dataset, FZK only trace and metrics. */
    public static final String SITE_KEYS = "CERN:{plain}" + CERN_KEY + ":*;FZK:{plain}" + FZK_KEY + ":trace|metrics";
    public static final String INGEST_GROUP = "lakehouse-ingest-e2e";
    /** The users both services get ({@code LAKEHOUSE_USERS}): their statistics need a login, viewer or above. */
    public static final String USERS = "ada:{noop}ada-pw:admin;vic:{noop}vic-pw:viewer";
    /** HTTP Basic of the viewer of {@link #USERS}. */
    public static final String VIEWER = "Basic " + java.util.Base64.getEncoder()
            .encodeToString("vic:vic-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /**
     * The collector shares the classpath with ingest-service's JDBC/Flyway but has no database, as with the
     * collector's own jar. Users and HTTP Basic (service-support) it has, as its own jar: for its statistics.
     */
    private static final String COLLECTOR_WITHOUT_DATABASE = "--spring.autoconfigure.exclude="
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafkaKraftBroker kafka;
    private final int topicPartitions;
    private final int ingestConcurrency;
    private final ConfigurableApplicationContext collector;
    private volatile ConfigurableApplicationContext ingest;

    private LakehouseStack(int topicPartitions, int ingestConcurrency) throws IOException {
        this.topicPartitions = topicPartitions;
        this.ingestConcurrency = ingestConcurrency;
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "50")
                .setServerConfig("synchronous_commit", "on")
                .start();
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE lakehouse");
        kafka = new EmbeddedKafkaKraftBroker(1, topicPartitions);
        kafka.brokerProperty("auto.create.topics.enable", "false");
        kafka.afterPropertiesSet();
        collector = new SpringApplicationBuilder(CollectorApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--collector.site-keys=" + SITE_KEYS,
                "--collector.topic-partitions=" + topicPartitions,
                "--lakehouse.security.users=" + USERS,
                ownConfig(CollectorApplication.class),
                COLLECTOR_WITHOUT_DATABASE);
        ingest = startIngest();
    }

    public static LakehouseStack start(int topicPartitions, int ingestConcurrency) throws IOException {
        return new LakehouseStack(topicPartitions, ingestConcurrency);
    }

    private ConfigurableApplicationContext startIngest() {
        return IngestApplication.application().run(
                "--server.port=0",
                "--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--spring.kafka.consumer.group-id=" + INGEST_GROUP,
                "--spring.kafka.listener.concurrency=" + ingestConcurrency,
                "--ingest.topic-partitions=" + topicPartitions,
                "--ingest.lag-refresh-interval=500ms",
                "--lakehouse.security.users=" + USERS,
                ownConfig(IngestApplication.class));
    }

    /**
     * Both services read {@code application.yml} and both are on this classpath, where {@code classpath:} would
     * find only the first: each application is pointed at the file of its own module (classes dir or jar).
     */
    static String ownConfig(Class<?> application) {
        String source = application.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            Enumeration<URL> files = application.getClassLoader().getResources("application.yml");
            while (files.hasMoreElements()) {
                String file = files.nextElement().toString();
                if (file.startsWith(source) || file.startsWith("jar:" + source + "!")) {
                    return "--spring.config.location=" + file;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no application.yml next to " + application.getName() + " in " + source);
    }

    public void stopIngest() {
        ConfigurableApplicationContext running = ingest;
        ingest = null;
        if (running != null) {
            running.close();
        }
    }

    public void startIngestAgain() {
        if (ingest == null) {
            ingest = startIngest();
        }
    }

    public String collectorUrl() {
        return "http://127.0.0.1:" + collector.getEnvironment().getProperty("local.server.port");
    }

    public String ingestUrl() {
        return "http://127.0.0.1:" + ingest.getEnvironment().getProperty("local.server.port");
    }

    /** The running ingest application (null while stopped). */
    public ConfigurableApplicationContext ingestContext() {
        return ingest;
    }

    public String kafkaBootstrap() {
        return kafka.getBrokersAsString();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/lakehouse";
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(new DriverManagerDataSource(jdbcUrl(), "postgres", ""));
    }

    @Override
    public void close() throws IOException {
        try {
            stopIngest();
            collector.close();
            kafka.destroy();
        } finally {
            postgres.close();
        }
    }
}

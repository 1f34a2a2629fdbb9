package ch.cern.alice.lakehouse.scenario.stack;

import ch.cern.alice.lakehouse.process.FileTrees;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyConfig;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyProcess;
import ch.cern.alice.lakehouse.trino.TrinoProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole lakehouse on 127.0.0.1, started once per test JVM on random free ports and stopped by PID at its end
 * ({@link LakeStackExtension} and a shutdown hook): embedded Postgres, S3Proxy, Trino 476, and etl-service (which
 * launches the etl-jobs Spark job), versioning-service, query-gateway and web-ui from their runnable jars, configured
 * only through the environment variables of docs/contracts.md. Kafka, collector and ingest are not part of it: rows
 * are staged straight into Postgres the way ingest-service writes them (a scenario that needs the real intake path
 * brings a Kafka broker and starts collector and ingest with {@link #startIntakePath}).
 * Logs: {@code target/lakestack/run-<test JVM pid>/logs/<service>.log}, the Spark runs' logs under
 * {@code logs/etl-runs}; the data (S3 objects, Trino cache) is deleted at the end, the logs are kept.
 */
public final class LakeStack {

    public static final String S3_BUCKET = "lakehouse";
    public static final String S3_REGION = "us-east-1";
    public static final String S3_ACCESS_KEY = "lakestack-access";
    public static final String S3_SECRET_KEY = "lakestack-secret";
    /** Staged trace rows end from here on, unless the caller chooses another time. */
    public static final long JUNE_2024_MILLIS = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();

    private static final Duration SERVICE_STARTUP = Duration.ofMinutes(4);
    /** Startup and short test calls matter here, not peak throughput: C1 only, serial GC. */
    private static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Map<String, String> HEAPS = Map.of("versioning-service", "-Xmx384m",
            "query-gateway", "-Xmx512m", "etl-service", "-Xmx384m", "web-ui", "-Xmx256m");
    /** Started only by a scenario that brings its own Kafka ({@link #startIntakePath}). */
    private static final List<String> INTAKE = List.of("collector-service", "ingest-service");
    private static final String INTAKE_HEAP = "-Xmx256m";

    /** query-gateway's Trino client protocol port (HTTPS, a key pair made for this run). */
    private static final String PROTOCOL = "query-gateway-protocol";
    private static final String PROTOCOL_KEYSTORE_PASSWORD = "lakestack-protocol";

    private static LakeStack instance;
    /** Set when the start failed: later test classes fail fast instead of waiting minutes for a second attempt. */
    private static RuntimeException startFailure;

    /** One directory per test JVM: two builds of this module in the same checkout must not share S3 data. */
    private final Path runsDir = Path.of(System.getProperty("lakestack.work-dir", "target/lakestack")).toAbsolutePath();
    private final Path workDir = runsDir.resolve("run-" + ProcessHandle.current().pid());
    private final Path logDir = workDir.resolve("logs");
    private final AtomicLong nextJobId = new AtomicLong(4_000_000_000L);
    /** In start order; stopped in reverse. */
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private StagingDatabase postgres;
    private S3ProxyProcess s3;
    private Path bucketDir;
    private TrinoProcess trino;
    private Map<String, Integer> servicePorts;
    private Map<String, String> serviceEnv;
    private Map<String, String> intakeEnv = Map.of();
    private Path serviceTmp;

    private LakeStack() {
    }

    /** The running stack of this JVM, started on first use (about a minute or two on a busy 2-core machine). */
    public static synchronized LakeStack get() {
        if (startFailure != null) {
            throw new IllegalStateException("LakeStack failed to start earlier in this JVM", startFailure);
        }
        if (instance == null) {
            LakeStack stack = new LakeStack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "lakestack-stop"));
            try {
                stack.start();
            } catch (IOException e) {
                stack.stop();
                startFailure = new UncheckedIOException(e);
                throw startFailure;
            } catch (RuntimeException e) {
                stack.stop();
                startFailure = e;
                throw e;
            }
            instance = stack;
        }
        return instance;
    }

    private void start() throws IOException {
        RunDirectories.deleteThoseOfEndedRuns(runsDir);
        Files.createDirectories(logDir);
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        postgres = started(new StagingDatabase());
        Path s3Work = workDir.resolve("s3");
        Path s3Data = s3Work.resolve("data");
        FileTrees.deleteRecursively(s3Data);
        bucketDir = Files.createDirectories(s3Data.resolve(S3_BUCKET)); // a directory is a bucket for S3Proxy
        s3 = started(S3ProxyProcess.start(Path.of(requiredProperty("lakestack.s3proxy-jar")),
                new S3ProxyConfig(s3Data, FreePorts.next(), S3_ACCESS_KEY, S3_SECRET_KEY), s3Work));

        // Trino first, alone: its launcher gives it a fixed 3 minutes, which four Spring Boot JVMs starting beside it
        // on a loaded 2-core machine can exhaust; the services' own wait below is more generous
        int trinoPort = FreePorts.next();
        trino = started(startTrino(trinoPort));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : List.of("versioning-service", "query-gateway", "etl-service", "web-ui",
                "collector-service", "ingest-service", PROTOCOL)) {
            ports.put(name, FreePorts.next());
        }
        servicePorts = ports;
        serviceEnv = environment(ports, trinoPort);
        serviceTmp = tmp;
        for (String name : HEAPS.keySet().stream().sorted().toList()) {
            services.put(name, started(startService(name)));
        }
        for (ServiceProcess service : services.values()) {
            service.awaitHealthy(SERVICE_STARTUP);
        }
    }

    private ServiceProcess startService(String name) throws IOException {
        List<String> jvm = new ArrayList<>(SMALL_JVM);
        jvm.add(HEAPS.getOrDefault(name, INTAKE_HEAP));
        jvm.add("-Djava.io.tmpdir=" + serviceTmp);
        Map<String, String> env = new HashMap<>(serviceEnv);
        if (INTAKE.contains(name)) {
            env.putAll(intakeEnv);
        }
        env.putAll(StagingDatabase.login(name)); // its own database role (docs/security.md "Least privilege")
        return ServiceProcess.start(name, Path.of(requiredProperty("lakestack.jar." + name)), servicePorts.get(name),
                jvm, env, logDir);
    }

    /**
     * SIGKILL of etl-service (nothing it started is told), then a new etl-service on the same port and settings,
     * healthy when this returns. Its log goes on in the same file.
     */
    public synchronized void killAndRestartEtlService() throws IOException, InterruptedException {
        ServiceProcess old = services.get("etl-service");
        old.kill();
        running.remove(old);
        ServiceProcess restarted = started(startService("etl-service"));
        services.put("etl-service", restarted);
        restarted.awaitHealthy(SERVICE_STARTUP);
    }

    /**
     * Starts the intake path the stack otherwise leaves out: collector-service and ingest-service from their runnable
     * jars on the ports web-ui's proxy already names, on the caller's Kafka ({@code kafkaBootstrap}), with the
     * collector's {@code COLLECTOR_SITE_KEYS}; healthy when this returns. What ingest stages lands in the stack's
     * staging tables: the caller removes its rows.
     */
    public synchronized void startIntakePath(String kafkaBootstrap, String siteKeys) throws IOException {
        if (services.containsKey("collector-service")) {
            throw new IllegalStateException("the intake path is already running");
        }
        intakeEnv = Map.of("LAKEHOUSE_KAFKA_BOOTSTRAP", kafkaBootstrap,
                "COLLECTOR_PORT", servicePorts.get("collector-service").toString(),
                "INGEST_PORT", servicePorts.get("ingest-service").toString(),
                "COLLECTOR_SITE_KEYS", siteKeys,
                "COLLECTOR_TOPIC_PARTITIONS", "2", "INGEST_TOPIC_PARTITIONS", "2", "INGEST_CONCURRENCY", "1");
        for (String name : INTAKE) {
            services.put(name, started(startService(name)));
        }
        for (String name : INTAKE) {
            services.get(name).awaitHealthy(SERVICE_STARTUP);
        }
    }

    /** SIGKILL of collector-service and ingest-service together, then both again on the same ports and settings. */
    public synchronized void killAndRestartIntakePath() throws IOException, InterruptedException {
        for (String name : INTAKE) {
            ServiceProcess old = services.get(name);
            old.kill();
            running.remove(old);
        }
        for (String name : INTAKE) {
            services.put(name, started(startService(name)));
        }
        for (String name : INTAKE) {
            services.get(name).awaitHealthy(SERVICE_STARTUP);
        }
    }

    /** Stops collector-service and ingest-service (before the caller's Kafka goes); idempotent. */
    public synchronized void stopIntakePath() {
        for (String name : INTAKE) {
            ServiceProcess process = services.remove(name);
            if (process != null) {
                running.remove(process);
                process.close();
            }
        }
    }

    /** collector-service's URL (running only between {@link #startIntakePath} and {@link #stopIntakePath}). */
    public String collectorUrl() {
        return "http://127.0.0.1:" + servicePorts.get("collector-service");
    }

    /** ingest-service's URL (running only between {@link #startIntakePath} and {@link #stopIntakePath}). */
    public String ingestUrl() {
        return "http://127.0.0.1:" + servicePorts.get("ingest-service");
    }

    private Map<String, String> environment(Map<String, Integer> ports, int trinoPort) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("LAKEHOUSE_DB_URL", postgres.jdbcUrl()); // each service's own login: StagingDatabase.login
        env.put("LAKEHOUSE_S3_ENDPOINT", s3.endpoint());
        env.put("LAKEHOUSE_S3_ACCESS_KEY", S3_ACCESS_KEY);
        env.put("LAKEHOUSE_S3_SECRET_KEY", S3_SECRET_KEY);
        env.put("LAKEHOUSE_S3_BUCKET", S3_BUCKET);
        env.put("LAKEHOUSE_S3_REGION", S3_REGION);
        env.putAll(trino.gatewayEnvironment()); // LAKEHOUSE_TRINO_URL, _USER, _PASSWORD, _TRUSTSTORE
        env.put("LAKEHOUSE_USERS", DemoUser.usersVariable());
        // every caller of the stack is 127.0.0.1: a test guessing passwords must not throttle the others' address
        // (per-user throttling stays as deployed; SecurityScenarioTest uses it)
        env.put("LAKEHOUSE_LOGIN_MAX_FAILURES_PER_ADDRESS", "1000");
        env.put("LAKEHOUSE_SERVICE_USER", DemoUser.ADMIN.name());
        env.put("LAKEHOUSE_SERVICE_PASSWORD", DemoUser.ADMIN.password());
        env.put("VERSIONING_PORT", ports.get("versioning-service").toString());
        env.put("QUERY_PORT", ports.get("query-gateway").toString());
        env.put("QUERY_PROTOCOL_PORT", ports.get(PROTOCOL).toString());
        env.put("QUERY_PROTOCOL_KEYSTORE", protocolKeyPair().toString());
        env.put("QUERY_PROTOCOL_KEYSTORE_PASSWORD", PROTOCOL_KEYSTORE_PASSWORD);
        env.put("ETL_PORT", ports.get("etl-service").toString());
        env.put("WEBUI_PORT", ports.get("web-ui").toString());
        env.put("LAKEHOUSE_VERSIONING_URL", "http://127.0.0.1:" + ports.get("versioning-service"));
        env.put("LAKEHOUSE_QUERY_URL", "http://127.0.0.1:" + ports.get("query-gateway"));
        env.put("LAKEHOUSE_ETL_URL", "http://127.0.0.1:" + ports.get("etl-service"));
        // not started here (only by startIntakePath): free ports nobody listens on, so the web UI's proxy answers
        // "unavailable"
        env.put("LAKEHOUSE_COLLECTOR_URL", "http://127.0.0.1:" + ports.get("collector-service"));
        env.put("LAKEHOUSE_INGEST_URL", "http://127.0.0.1:" + ports.get("ingest-service"));
        env.put("ETL_JOBS_HOME", Path.of(requiredProperty("lakestack.etl-jobs-home")).toAbsolutePath().toString());
        env.put("ETL_LOG_DIR", Files.createDirectories(logDir.resolve("etl-runs")).toString());
        env.put("ETL_SPARK_MASTER", "local[2]");
        env.put("ETL_SPARK_DRIVER_MEMORY", "1g");
        env.put("ETL_SPARK_JAVA_OPTS", String.join(" ", SMALL_JVM));
        env.put("ETL_SPARK_CONF", "spark.sql.shuffle.partitions=2");
        env.put("ETL_SCHEDULE_CRON", "-"); // runs only when a scenario asks for one
        env.put("ETL_STAGED_ROWS_THRESHOLD", "0");
        return env;
    }

    private TrinoProcess startTrino(int port) {
        try {
            Path serverDir = TrinoProcess.installed(Path.of(requiredProperty("lakestack.trino-server-dir")),
                    Path.of(requiredProperty("lakestack.trino-tarball")));
            return TrinoProcess.start(serverDir, Path.of(requiredProperty("lakestack.trino-etc-templates")),
                    workDir.resolve("trino"), port, Map.of(
                            "LAKEHOUSE_S3_ENDPOINT", s3.endpoint(),
                            "LAKEHOUSE_S3_BUCKET", S3_BUCKET,
                            "LAKEHOUSE_S3_REGION", S3_REGION,
                            "LAKEHOUSE_S3_ACCESS_KEY", S3_ACCESS_KEY,
                            "LAKEHOUSE_S3_SECRET_KEY", S3_SECRET_KEY,
                            "LAKEHOUSE_USERS", DemoUser.usersVariable()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends AutoCloseable> T started(T process) {
        running.add(process);
        return process;
    }

    /** Stops every process of the stack by PID, the last started first. Idempotent. */
    synchronized void stop() {
        List<AutoCloseable> toStop = new ArrayList<>(running);
        running.clear();
        Collections.reverse(toStop);
        for (AutoCloseable process : toStop) {
            try {
                process.close();
            } catch (Exception e) {
                System.err.println("lakestack: stopping " + process + " failed: " + e);
            }
        }
        RunDirectories.deleteData(workDir);
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + name + " is not set (scenario-tests/pom.xml sets it)");
        }
        return value;
    }

    // ---- services -------------------------------------------------------------------------------------------------

    public String etlUrl() {
        return services.get("etl-service").baseUrl();
    }

    public String versioningUrl() {
        return services.get("versioning-service").baseUrl();
    }

    /** JDBC URL of query-gateway's Trino protocol port; verify it with {@link #protocolCertificate()}. */
    public String protocolJdbcUrl() {
        return "jdbc:trino://127.0.0.1:" + servicePorts.get(PROTOCOL);
    }

    public Path protocolCertificate() {
        return workDir.resolve("protocol").resolve("gateway.pem");
    }

    /** A key pair for the protocol port, as {@code ./lakehouse up} makes one on first start. */
    private Path protocolKeyPair() throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("protocol"));
        Path keystore = dir.resolve("gateway.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(List.of(keytool, "-genkeypair", "-alias", "query-gateway", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "30", "-dname", "CN=query-gateway", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PROTOCOL_KEYSTORE_PASSWORD,
                "-keypass", PROTOCOL_KEYSTORE_PASSWORD));
        keytool(List.of(keytool, "-exportcert", "-rfc", "-alias", "query-gateway", "-keystore", keystore.toString(),
                "-storepass", PROTOCOL_KEYSTORE_PASSWORD, "-file", protocolCertificate().toString()));
        return keystore;
    }

    private static void keytool(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public String queryUrl() {
        return services.get("query-gateway").baseUrl();
    }

    public String webUiUrl() {
        return services.get("web-ui").baseUrl();
    }

    /** The demo logins known to every service. */
    public List<DemoUser> users() {
        return List.of(DemoUser.ADMIN, DemoUser.RESEARCHER, DemoUser.VIEWER);
    }

    public Path logDir() {
        return logDir;
    }

    // ---- infrastructure -------------------------------------------------------------------------------------------

    public String trinoJdbcUrl() {
        return trino.jdbcUrl();
    }

    /** Trino as its admin principal (HTTPS, password login): for checks the services' API does not offer. */
    public Connection trinoConnection() throws SQLException {
        return DriverManager.getConnection(trinoJdbcUrl(), trino.jdbcProperties(trino.admin()));
    }

    /** The {@code lakehouse} database as the given service's own role (what that service may do, and no more). */
    public Connection postgresConnectionAs(String service) throws SQLException {
        Map<String, String> login = StagingDatabase.login(service);
        if (login.isEmpty()) {
            throw new IllegalArgumentException(service + " has no database login");
        }
        return DriverManager.getConnection(postgres.jdbcUrl(), login.get("LAKEHOUSE_DB_USER"),
                login.get("LAKEHOUSE_DB_PASSWORD"));
    }

    /** The running Trino: its principals' logins and certificate. */
    public TrinoProcess trino() {
        return trino;
    }

    /** The {@code lakehouse} database the services use, each as its own role; the tests as {@link #postgresUser()}. */
    public String postgresJdbcUrl() {
        return postgres.jdbcUrl();
    }

    /** The superuser, which sees every service's schema (the services themselves never log in as it). */
    public String postgresUser() {
        return StagingDatabase.SUPERUSER;
    }

    public String postgresPassword() {
        return "";
    }

    public Connection postgresConnection() throws SQLException {
        return postgres.connect();
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    public String s3Bucket() {
        return S3_BUCKET;
    }

    /** The bucket as S3Proxy stores it on disk (one file per object). */
    public Path s3BucketDir() {
        return bucketDir;
    }

    // ---- data -----------------------------------------------------------------------------------------------------

    /** Stages {@code count} new trace rows (fresh job ids, site CERN's key) ending in June 2024. */
    public StagedBatch stageTrace(int count) {
        return stageTrace(count, JUNE_2024_MILLIS);
    }

    public StagedBatch stageTrace(int count, long endMillis) {
        long first = nextJobId.getAndAdd(count);
        int staged = postgres.stage("trace", "CERN", SyntheticRecords.trace(first, count, endMillis));
        return new StagedBatch("trace", first, staged);
    }

    /**
     * Stages {@code count} trace rows with the grid's structure (site tiers, activity mix, misbehaving sites:
     * {@link SyntheticRecords#gridTrace}), ending in the week before {@code endMillis}. Their job ids lie in
     * {@code firstJobId .. firstJobId + 3 * count - 1} (jobs that never ran have no trace).
     */
    public StagedBatch stageGridTrace(int count, long endMillis, long seed) {
        long first = nextJobId.getAndAdd(3L * count);
        List<Map<String, Object>> records = SyntheticRecords.gridTrace(first, count, 3L * count, endMillis, seed);
        return new StagedBatch("trace", first, postgres.stage("trace", "CERN", records));
    }

    /** Stages job_info rows for the given job ids (e.g. those of a trace batch). */
    public StagedBatch stageJobInfo(long firstJobId, int count) {
        int staged = postgres.stage("job_info", "CERN", SyntheticRecords.jobInfo(firstJobId, count, JUNE_2024_MILLIS));
        return new StagedBatch("job_info", firstJobId, staged);
    }

    /** Stages arbitrary records of any catalog dataset; each is validated like the collector does. */
    public int stage(String dataset, String site, List<Map<String, Object>> records) {
        return postgres.stage(dataset, site, records);
    }

    public long stagedRows(String dataset) {
        return postgres.stagedRows(dataset);
    }

    /** Rows staged by one call: job ids {@code firstJobId .. firstJobId + count - 1}. */
    public record StagedBatch(String dataset, long firstJobId, int count) {
    }
}

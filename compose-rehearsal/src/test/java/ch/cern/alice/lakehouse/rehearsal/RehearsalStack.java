package ch.cern.alice.lakehouse.rehearsal;

import ch.cern.alice.lakehouse.localstack.s3.MiniS3Client;
import ch.cern.alice.lakehouse.process.FileTrees;
import ch.cern.alice.lakehouse.rehearsal.ComposeConfig.ComposeService;
import ch.cern.alice.lakehouse.rehearsal.ComposeConfig.Volume;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyConfig;
import ch.cern.alice.lakehouse.s3proxy.S3ProxyProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * docker-compose.yml started on this host without a Docker engine. Every setting comes from
 * {@code docker-compose config} (with .env.example) and the images' Dockerfiles; what stands in for a container:
 * <ul>
 *   <li>postgres: embedded Postgres 17 with the role, password and database the postgres image creates from
 *       POSTGRES_USER/PASSWORD/DB, password (SCRAM) authentication over TCP;</li>
 *   <li>kafka: a KRaft broker+controller from the Maven jars (local-stack's launcher), partitions from
 *       KAFKA_NUM_PARTITIONS;</li>
 *   <li>postgres-init, trino-init, trino: their entrypoint scripts from the repository's bind mounts, run on this
 *       host (psql, curl, keytool and Trino 476 as in their images);</li>
 *   <li>minio, minio-init: S3Proxy per MinIO identity (root and each user minio-init creates) over the same files,
 *       the bucket created through the S3 API with minio-init's root credentials;</li>
 *   <li>spark-master, spark-worker: the Spark image's ENTRYPOINT script (deploy/spark/spark-node.sh: Spark's own
 *       Master and Worker classes on the etl-jobs classpath) with the compose command's arguments, the image's
 *       directories (/opt/etl-jobs, /opt/spark with jars/ = the etl-jobs lib/) laid out as its Dockerfile has them;</li>
 *   <li>our six services: their runnable jars, started in depends_on order, each with its container's environment
 *       (image ENV overlaid by compose), the image's ENTRYPOINT, and healthy when its health check command passes.</li>
 * </ul>
 * Host names become 127.0.0.1 and random free ports ({@link Loopback}), container paths become directories of the
 * run. The only other differences are {@link #OVERRIDES}, each with its reason.
 */
final class RehearsalStack implements AutoCloseable {

    /** Every setting the rehearsal changes against compose, and why. Nothing else differs. */
    static final Map<String, String> OVERRIDES = Map.ofEntries(
            Map.entry("SERVER_ADDRESS=127.0.0.1 (services; image: 0.0.0.0) and 0.0.0.0 -> 127.0.0.1 in any value "
                            + "(spark.driver.bindAddress, TRINO_BIND_ADDRESS)",
                    "in a container 0.0.0.0 is the container's private network; on this shared host it would be every "
                            + "interface: the rehearsal listens on loopback only (so the services' and trino-init's "
                            + "refusal of .env.example's placeholder secrets beyond 127.0.0.1 is not exercised)"),
            Map.entry("SERVER_PORT=<free port> (services), PGPORT=<postgres' port> (postgres-init), "
                            + "TRINO_PORT=<trino's port> (trino-init)",
                    "in-container ports (8081, 5432, 8443) may be taken on the host; they are mapped like every "
                            + "<service>:<port>"),
            Map.entry("SPARK_LOCAL_IP=127.0.0.1 (spark-master, spark-worker)",
                    "in a container the host name resolves to the container's address; here Spark would advertise "
                            + "the host's network address"),
            Map.entry("spark-worker --cores 1, and --webui-port <free port> when compose gives none",
                    "test cost (2 cores for the whole build) and no fixed host port (the worker UI's default is 8081)"),
            Map.entry("-XX:MaxRAM=<mem_limit> on the service JVMs; -Djava.io.tmpdir=<run dir> appended to "
                            + "JAVA_TOOL_OPTIONS, SPARK_LOCAL_DIRS=<run dir> on the Spark nodes",
                    "stand in for the container's memory limit (the JVM sizes its heap from it, with compose's "
                            + "JAVA_TOOL_OPTIONS) and its private /tmp (no temp files in the host's shared /tmp)"),
            Map.entry("TRINO_FILES_OWNER= (empty) for trino-init",
                    "chown to the image's trino user means nothing on this host; the files stay the test user's"),
            Map.entry("minio-init emulated: the bucket over the S3 API with the root credentials, one S3Proxy per "
                            + "MinIO user over the same files, each client sent to the one of its access key",
                    "minio-init's script needs mc and S3Proxy knows one identity per process: the users' policies "
                            + "(least privilege) are not rehearsed"),
            Map.entry("/usr/lib/trino = Trino 476 unpacked by deploy/trino/trino-server.sh install",
                    "the trinodb image's own installation of the same release"));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SERVICE_HEALTHY = Duration.ofMinutes(6);
    private static final Duration INFRA_READY = Duration.ofMinutes(4);
    private static final Pattern CONTAINER_PATH = Pattern.compile("(?:^|[=:;,\\s]|//)(/(?:app|opt|etc|data|var|srv|tmp|usr)(?:/[^\\s:;,]*)?)");

    private final ComposeConfig config;
    private final Loopback loopback;
    private final Path runDir;
    private final Path logDir;
    private final Path etlJobsHome;
    /** In start order; stopped in reverse. */
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, RunningService> services = new LinkedHashMap<>();
    private final Map<String, Duration> timings = new LinkedHashMap<>();
    private final Map<String, ChildJvm> spark = new LinkedHashMap<>();
    private final Map<String, Path> sparkHomes = new LinkedHashMap<>();
    /** MinIO access key -> port of the S3Proxy holding that identity. */
    private final Map<String, Integer> s3Identities = new LinkedHashMap<>();
    private int sparkMasterUiPort;
    private String postgresUrl;
    private String postgresUser;
    private String postgresPassword;

    private RehearsalStack(ComposeConfig config, Path runDir) throws IOException {
        this.config = config;
        this.loopback = new Loopback(config.services().keySet());
        this.runDir = runDir;
        this.logDir = Files.createDirectories(runDir.resolve("logs"));
        this.etlJobsHome = etlJobsHome(runDir.resolve("opt-etl-jobs"));
    }

    /** Starts everything; on failure stops what was started and rethrows. */
    static RehearsalStack start(ComposeConfig config, Path runDir) throws Exception {
        RehearsalStack stack = new RehearsalStack(config, runDir);
        try {
            stack.startAll();
            return stack;
        } catch (Exception | AssertionError e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        timed("postgres", this::startPostgres);
        if (config.services().containsKey("postgres-init")) {
            timed("postgres-init", () -> runToCompletion(config.service("postgres-init")));
        }
        timed("minio + minio-init (S3Proxy per MinIO user, bucket)", this::startS3);
        ChildJvm kafka = startKafka();
        startSpark();
        timed("trino-init + trino", this::startTrino);
        timed("kafka ready", () -> awaitKafka(kafka));
        timed("spark master + worker ready", this::awaitSpark);
        startServicesInDependencyOrder();
    }

    // ---- infrastructure ---------------------------------------------------------------------------------------

    private void startPostgres() throws IOException, SQLException {
        Map<String, String> env = config.service("postgres").environment();
        postgresUser = env.getOrDefault("POSTGRES_USER", "postgres");
        postgresPassword = env.get("POSTGRES_PASSWORD");
        String db = env.getOrDefault("POSTGRES_DB", postgresUser);
        int port = loopback.port("postgres", 5432);
        // the image's rule: password authentication for TCP clients; the embedded server's own admin login stays
        Path hba = Files.writeString(runDir.resolve("pg_hba.conf"), String.join("\n",
                "local all all trust",
                "host all postgres 127.0.0.1/32 trust",
                "host all postgres ::1/128 trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256", ""));
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port).setServerConfig("hba_file", hba.toString())
                .setServerConfig("password_encryption", "scram-sha-256").setServerConfig("max_connections", "200")
                .start();
        running.add(pg);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            if (!postgresUser.equals("postgres")) {
                st.execute("CREATE ROLE \"" + postgresUser + "\" LOGIN SUPERUSER PASSWORD '"
                        + postgresPassword.replace("'", "''") + "'");
            }
            if (!db.equals("postgres")) {
                st.execute("CREATE DATABASE \"" + db + "\" OWNER \"" + postgresUser + "\"");
            }
        }
        postgresUrl = "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    /**
     * MinIO and what minio-init makes of it (its script needs mc, which this host lacks): the bucket, created over the
     * S3 API with the root credentials, and one identity per MinIO user of minio-init's environment
     * ({@code <X>_ACCESS_KEY}/{@code <X>_SECRET_KEY}). S3Proxy knows one identity per process, so each user gets its
     * own S3Proxy over the same files, and a client reaches the one of its access key ({@link #networkFor}). The
     * users' policies are not rehearsed.
     */
    private void startS3() throws IOException {
        Map<String, String> minio = config.service("minio").environment();
        String root = minio.get("MINIO_ROOT_USER");
        Map<String, String> identities = new LinkedHashMap<>();
        identities.put(root, minio.get("MINIO_ROOT_PASSWORD"));
        Map<String, String> init = config.services().containsKey("minio-init")
                ? config.service("minio-init").environment() : Map.of();
        init.forEach((k, v) -> {
            if (k.endsWith("_ACCESS_KEY") && init.containsKey(k.replace("_ACCESS_KEY", "_SECRET_KEY"))) {
                identities.putIfAbsent(v, init.get(k.replace("_ACCESS_KEY", "_SECRET_KEY")));
            }
        });
        Path data = runDir.resolve("minio"); // the objects (deleted at the end); configs and logs in minio-proxy
        for (Map.Entry<String, String> identity : identities.entrySet()) {
            int port = identity.getKey().equals(root) ? loopback.port("minio", 9000) : freePort();
            S3ProxyProcess proxy = S3ProxyProcess.start(Path.of(property("rehearsal.s3proxy-jar")),
                    new S3ProxyConfig(data, port, identity.getKey(), identity.getValue()),
                    Files.createDirectories(runDir.resolve("minio-proxy")));
            running.add(proxy);
            s3Identities.put(identity.getKey(), port);
        }
        String bucket = init.getOrDefault("S3_BUCKET", init.entrySet().stream().filter(e -> e.getKey().endsWith("BUCKET"))
                .map(Map.Entry::getValue).findFirst().orElse(null));
        if (bucket == null) {
            throw new AssertionError("minio-init names no bucket (S3_BUCKET): " + init.keySet());
        }
        String access = init.getOrDefault("S3_ACCESS_KEY", root);
        String secret = init.getOrDefault("S3_SECRET_KEY", minio.get("MINIO_ROOT_PASSWORD"));
        new MiniS3Client(URI.create("http://127.0.0.1:" + loopback.port("minio", 9000)), access, secret, "us-east-1")
                .createBucketIfMissing(bucket);
    }

    /** The compose network as a process with this environment sees it: MinIO answers with the S3Proxy of its key. */
    private Loopback networkFor(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().endsWith("ACCESS_KEY") && s3Identities.containsKey(e.getValue())) {
                return loopback.withOverride("minio:9000", s3Identities.get(e.getValue()));
            }
        }
        return loopback;
    }

    private ChildJvm startKafka() throws IOException {
        Map<String, String> env = config.service("kafka").environment();
        int controllerPort = 9093;
        Matcher voters = Pattern.compile("kafka:(\\d+)").matcher(env.getOrDefault("KAFKA_CONTROLLER_QUORUM_VOTERS", ""));
        if (voters.find()) {
            controllerPort = Integer.parseInt(voters.group(1));
        }
        Path kafkaDir = runDir.resolve("kafka");
        String classpath = Files.readString(Path.of(property("rehearsal.kafka-classpath"))).strip() + ":"
                + property("rehearsal.local-stack-jar");
        List<String> cmd = List.of(java(17), "-Xmx512m", "-Djava.io.tmpdir=" + Files.createDirectories(kafkaDir.resolve("tmp")),
                "-cp", classpath, "ch.cern.alice.lakehouse.localstack.kafka.KafkaLauncher",
                "--port", String.valueOf(loopback.port("kafka", 9092)),
                "--controller-port", String.valueOf(loopback.port("kafka", controllerPort)),
                "--data-dir", kafkaDir.resolve("data").toString(),
                "--partitions", env.getOrDefault("KAFKA_NUM_PARTITIONS", "1"));
        ChildJvm kafka = ChildJvm.start("kafka", cmd, hostBasics(Map.of(), kafkaDir), kafkaDir, logDir.resolve("kafka.log"));
        running.add(kafka);
        return kafka;
    }

    private void awaitKafka(ChildJvm kafka) {
        await("kafka", INFRA_READY, kafka, () -> Files.readString(kafka.log()).contains("READY kafka"));
    }

    /**
     * trino-init and trino as compose runs them: deploy/trino/trino-server.sh (configure, then run-configured) from
     * its bind mount, with their environments. The trino image's Trino (/usr/lib/trino) is the same release unpacked
     * here by the script's own {@code install}; healthy when trino's health check passes.
     */
    private void startTrino() throws Exception {
        ComposeService trino = config.service("trino");
        Path server = Path.of(property("rehearsal.trino-server-dir"));
        Map<String, Path> image = Map.of("/usr/lib/trino", server);
        if (config.services().containsKey("trino-init")) {
            ComposeService init = config.service("trino-init");
            runScript(init, List.of("install"), Map.of("TRINO_SERVER_DIR", server.toString(),
                    "TRINO_DIR", Files.createDirectories(runDir.resolve("trino-install")).toString(),
                    "HOME", System.getProperty("user.home")), image, Duration.ofMinutes(5)); // Trino of the image
            runToCompletion(init, image);
        }
        ChildJvm process = startScript(trino, image);
        Map<String, Path> paths = containerPaths(trino, null, runDir.resolve("trino"), image);
        List<String> health = healthcheckCommand(trino, paths);
        Map<String, String> env = hostBasics(networkFor(trino.environment()).map(trino.environment(), paths), runDir);
        await("trino health check " + health, INFRA_READY, process, () -> run(health, env, Duration.ofSeconds(10)).exitCode() == 0);
    }

    // ---- services run from a script of this repository (compose entrypoint: <shell> <mounted script> args) -------

    private void runToCompletion(ComposeService s) throws Exception {
        runToCompletion(s, Map.of());
    }

    /** An init job (service_completed_successfully): its script must exit 0. */
    private void runToCompletion(ComposeService s, Map<String, Path> image) throws Exception {
        runScript(s, List.of(), Map.of(), image, Duration.ofMinutes(5));
    }

    private void runScript(ComposeService s, List<String> args, Map<String, String> extraEnv, Map<String, Path> image,
                           Duration timeout) throws Exception {
        ChildJvm job = startScript(s, args, extraEnv, image, s.name() + (args.isEmpty() ? "" : "-" + String.join("-", args)));
        if (!job.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            job.close();
            throw new AssertionError(job + " did not finish within " + timeout + "\n" + job.logTail(40));
        }
        if (job.process().exitValue() != 0) {
            throw new AssertionError(job + " exited with " + job.process().exitValue() + "\n" + job.logTail(40));
        }
    }

    private ChildJvm startScript(ComposeService s, Map<String, Path> image) throws IOException {
        return startScript(s, List.of(), Map.of(), image, s.name());
    }

    private ChildJvm startScript(ComposeService s, List<String> extraArgs, Map<String, String> extraEnv,
                                 Map<String, Path> image, String logName) throws IOException {
        Path dir = Files.createDirectories(runDir.resolve(s.name()));
        Map<String, Path> paths = containerPaths(s, null, dir, image);
        List<String> entrypoint = s.entrypoint();
        if (entrypoint.size() < 2 || !entrypoint.get(0).matches("(/bin/|/usr/bin/)?(ba)?sh")) {
            throw new AssertionError(s.name() + ": entrypoint " + entrypoint + " is no '<shell> <script>' the rehearsal "
                    + "can run on this host");
        }
        Loopback network = networkFor(s.environment());
        List<String> cmd = new ArrayList<>(List.of(entrypoint.get(0)));
        for (String arg : entrypoint.subList(1, entrypoint.size())) {
            cmd.add(network.map(arg, paths));
        }
        if (!Files.isRegularFile(Path.of(cmd.get(1)))) {
            throw new AssertionError(s.name() + ": script " + entrypoint.get(1) + " is not in a bind mount of this "
                    + "repository");
        }
        s.command().forEach(a -> cmd.add(network.map(a, paths)));
        if (!extraArgs.isEmpty()) {
            cmd.subList(2, cmd.size()).clear();
            cmd.addAll(extraArgs);
        }
        Map<String, String> env = network.map(s.environment(), paths);
        if (env.containsKey("PGHOST") && !env.containsKey("PGPORT")) {
            // libpq's default port is the container's; PGHOST (a compose host name) became 127.0.0.1 above
            env.put("PGPORT", String.valueOf(network.port(s.environment().get("PGHOST"), 5432)));
        }
        if (env.containsKey("TRINO_PORT")) {
            // trino-init writes trino's config: its TRINO_PORT is trino's container port
            env.put("TRINO_PORT", String.valueOf(network.port("trino", Integer.parseInt(env.get("TRINO_PORT")))));
        }
        if (env.containsKey("TRINO_FILES_OWNER")) {
            env.put("TRINO_FILES_OWNER", ""); // ownership inside the containers; here the files stay the test user's
        }
        env.putAll(extraEnv);
        ChildJvm process = ChildJvm.start(s.name(), cmd, hostBasics(env, dir), dir, logDir.resolve(logName + ".log"));
        running.add(process);
        return process;
    }

    // ---- Spark standalone cluster -------------------------------------------------------------------------------

    /** The Spark job's home as the images have it (deploy/build/etl-jobs-home.sh): the jar, lib/ and the JVM flags. */
    private static Path etlJobsHome(Path home) throws IOException {
        Path target = Path.of(property("rehearsal.etl-jobs-target"));
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(p -> p.getFileName().toString().matches("etl-jobs-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no etl-jobs jar in " + target
                            + " (package etl-jobs first)"));
        }
        Files.createDirectories(home.resolve("lib"));
        Files.createSymbolicLink(home.resolve(jar.getFileName()), jar);
        Files.copy(target.resolve("spark-jvm-flags.txt"), home.resolve("spark-jvm-flags.txt"));
        for (String entry : Files.readString(target.resolve("classpath.txt")).strip().split(":")) {
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("etl-jobs classpath entry " + p + " is no jar (package the modules)");
            }
            Path link = home.resolve("lib").resolve(p.getFileName());
            if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                link = home.resolve("lib").resolve(p.getParent().getFileName() + "-" + p.getFileName());
            }
            Files.createSymbolicLink(link, p);
        }
        return home;
    }

    private void startSpark() throws IOException {
        for (ComposeService s : config.services().values()) {
            List<String> command = s.command();
            if (!command.isEmpty() && Set.of("master", "worker").contains(command.get(0))) {
                spark.put(s.name(), startSparkNode(s, command.get(0).equals("master"), command.subList(1, command.size())));
            }
        }
        if (!spark.containsKey("spark-master") || spark.size() < 2) {
            throw new AssertionError("expected compose services spark-master and spark-worker running 'master' and "
                    + "'worker' (deploy/spark/spark-node.sh), found " + spark.keySet());
        }
    }

    /**
     * Runs the Spark image's ENTRYPOINT script (deploy/spark/spark-node.sh as the image copies it, container paths
     * mapped) with the compose command's arguments: Spark's own Master or Worker class on the etl-jobs classpath.
     */
    private ChildJvm startSparkNode(ComposeService s, boolean master, List<String> composeArgs) throws IOException {
        ImageFile image = config.imageOf(s);
        Path nodeDir = runDir.resolve(s.name());
        Path sparkHome = Files.createDirectories(nodeDir.resolve("opt-spark"));
        sparkHomes.put(s.name(), sparkHome);
        Files.createDirectories(sparkHome.resolve("conf"));
        Files.createDirectories(sparkHome.resolve("work"));
        Files.createSymbolicLink(sparkHome.resolve("jars"), etlJobsHome.resolve("lib")); // as deploy/spark/Dockerfile
        Path tmp = Files.createDirectories(nodeDir.resolve("tmp"));
        Map<String, Path> paths = containerPaths(s, image, nodeDir, Map.of("/opt/spark", sparkHome, "/tmp", tmp));
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.putAll(s.environment());
        env = loopback.map(env, paths);
        env.put("SPARK_LOCAL_IP", Loopback.HOST);
        env.put("SPARK_LOCAL_DIRS", tmp.toString());
        env.merge("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp, (a, b) -> a + " " + b);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < composeArgs.size(); i++) {
            String a = composeArgs.get(i);
            if (Set.of("--port", "-p", "--webui-port").contains(a) && i + 1 < composeArgs.size()) {
                args.add(a);
                args.add(String.valueOf(loopback.port(s.name(), Integer.parseInt(composeArgs.get(++i)))));
            } else if (Set.of("--cores", "-c").contains(a)) {
                i++; // replaced below
            } else {
                // a bare host name argument (--host spark-master); in environment values only URLs and key=value
                args.add(config.services().containsKey(a) ? Loopback.HOST : loopback.map(a, paths));
            }
        }
        if (master) {
            if (!args.contains("--port") && !args.contains("-p")) {
                args.addAll(List.of("--port", String.valueOf(loopback.port(s.name(), 7077))));
            }
            if (!args.contains("--webui-port")) {
                args.addAll(List.of("--webui-port", String.valueOf(loopback.port(s.name(), 8080))));
            }
            sparkMasterUiPort = Integer.parseInt(args.get(args.indexOf("--webui-port") + 1));
        } else {
            args.addAll(List.of("--cores", "1"));
            if (!args.contains("--webui-port")) {
                args.addAll(List.of("--webui-port", String.valueOf(loopback.port(s.name(), 8081))));
            }
        }
        List<String> entrypoint = image.entrypoint();
        Path script = entrypoint.isEmpty() ? null : Path.of(loopback.map(entrypoint.get(0), paths));
        if (script == null || !Files.isRegularFile(script)) {
            throw new AssertionError(s.name() + ": the image's ENTRYPOINT " + entrypoint + " is no script the image "
                    + "copies from this repository; the rehearsal runs that script");
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", script.toString()));
        entrypoint.subList(1, entrypoint.size()).forEach(a -> cmd.add(loopback.map(a, paths)));
        cmd.add(master ? "master" : "worker");
        cmd.addAll(args);
        Map<String, String> processEnv = hostBasics(env, sparkHome);
        processEnv.put("PATH", Path.of(java(image.javaMajor())).getParent() + ":" + processEnv.get("PATH"));
        ChildJvm node = ChildJvm.start(s.name(), cmd, processEnv, sparkHome, logDir.resolve(s.name() + ".log"));
        running.add(node);
        return node;
    }

    private void awaitSpark() {
        ChildJvm master = spark.get("spark-master");
        await("spark master with " + (spark.size() - 1) + " ALIVE worker(s)", INFRA_READY, master, () -> {
            for (ChildJvm node : spark.values()) {
                if (!node.process().isAlive()) {
                    throw new AssertionError(node + " exited: " + node.logTail(40));
                }
            }
            JsonNode json = sparkMasterJson();
            return "ALIVE".equals(json.path("status").asString("")) && json.path("aliveworkers").asInt(0) >= spark.size() - 1;
        });
    }

    /** The standalone master's JSON status (workers, active and completed applications). */
    JsonNode sparkMasterJson() {
        String body = httpGet("http://127.0.0.1:" + sparkMasterUiPort + "/json/");
        return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    /** Where a worker keeps its executors' directories ({@code <app id>/<executor id>/stderr}). */
    List<Path> sparkWorkDirs() {
        return sparkHomes.entrySet().stream().filter(e -> !e.getKey().equals("spark-master"))
                .map(e -> e.getValue().resolve("work")).toList();
    }

    // ---- our services -------------------------------------------------------------------------------------------

    private void startServicesInDependencyOrder() throws Exception {
        Set<String> healthy = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(ComposeConfig.OUR_SERVICES);
        while (!pending.isEmpty()) {
            List<String> wave = pending.stream().filter(n -> config.service(n).dependsOn().stream()
                    .filter(ComposeConfig.OUR_SERVICES::contains).allMatch(healthy::contains)).toList();
            if (wave.isEmpty()) {
                throw new AssertionError("depends_on cycle among " + pending);
            }
            long t0 = System.nanoTime();
            for (String name : wave) {
                services.put(name, startService(ServiceContainer.of(config, name)));
            }
            for (String name : wave) {
                RunningService s = services.get(name);
                await(name + " health check " + s.healthcheck(), SERVICE_HEALTHY, s.jvm(), () -> s.check().exitCode() == 0);
            }
            timings.put("healthy: " + wave, Duration.ofNanos(System.nanoTime() - t0));
            healthy.addAll(wave);
            pending.removeAll(wave);
        }
    }

    private RunningService startService(ServiceContainer c) throws IOException {
        Path dir = runDir.resolve(c.name());
        Path home = Files.createDirectories(dir.resolve("app"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, Path> paths = containerPaths(c.compose(), c.image(), dir, Map.of(c.image().workdir(), home, "/tmp", tmp));
        int port = loopback.port(c.name(), c.port());
        Loopback network = networkFor(c.env());
        Map<String, String> env = network.map(c.env(), paths);
        List<String> unmapped = new ArrayList<>();
        c.env().forEach((k, v) -> {
            Matcher m = CONTAINER_PATH.matcher(v);
            while (m.find()) {
                String path = m.group(1);
                if (paths.keySet().stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
                    unmapped.add(k + "=" + v);
                }
            }
        });
        if (!unmapped.isEmpty()) {
            throw new AssertionError(c.name() + ": container paths the rehearsal cannot map (no volume, not in the "
                    + "image): " + unmapped);
        }
        env.put("SERVER_ADDRESS", Loopback.HOST);
        env.put("SERVER_PORT", String.valueOf(port));
        // the container's private /tmp, for the service and the JVMs it starts (etl-service's Spark driver)
        env.merge("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp, (a, b) -> a + " " + b);
        env = hostBasics(env, home);

        List<String> entrypoint = c.image().entrypoint();
        if (entrypoint.isEmpty() || !entrypoint.get(0).equals("java")) {
            throw new AssertionError(c.name() + ": ENTRYPOINT " + entrypoint + " is not 'java ...'");
        }
        List<String> cmd = new ArrayList<>(List.of(java(c.image().javaMajor())));
        if (c.compose().memLimitBytes() != null) {
            cmd.add("-XX:MaxRAM=" + c.compose().memLimitBytes());
        }
        for (String arg : entrypoint.subList(1, entrypoint.size())) {
            cmd.add(arg.endsWith(".jar") && arg.startsWith("/") ? jarOf(c.name())
                    : network.map(arg, paths));
        }
        cmd.addAll(c.compose().command().stream().map(a -> network.map(a, paths)).toList());
        ChildJvm jvm = ChildJvm.start(c.name(), cmd, env, home, logDir.resolve(c.name() + ".log"));
        running.add(jvm);
        List<String> health = healthcheckCommand(c.name(), c.healthcheck(), c.env(), network, paths);
        return new RunningService(c, jvm, port, env, health, paths);
    }

    /**
     * The health check as the container runs it: its variables expanded from the container's environment first
     * (they name in-container ports), then the container's own loopback ({@code 127.0.0.1:P}, {@code localhost:P})
     * mapped to the port standing in for {@code <service>:P}, then host names and paths like everything else.
     */
    private List<String> healthcheckCommand(String service, List<String> hc, Map<String, String> containerEnv,
                                            Loopback network, Map<String, Path> paths) {
        if (hc.isEmpty()) {
            throw new AssertionError(service + " has no health check");
        }
        List<String> out = new ArrayList<>();
        for (String part : hc.subList(1, hc.size())) {
            Matcher self = Pattern.compile("(?:127\\.0\\.0\\.1|localhost):(\\d+)\\b")
                    .matcher(ImageFile.substitute(part, containerEnv));
            StringBuilder expanded = new StringBuilder();
            while (self.find()) {
                self.appendReplacement(expanded, Loopback.HOST + ":" + network.port(service, Integer.parseInt(self.group(1))));
            }
            self.appendTail(expanded);
            out.add(network.map(expanded.toString(), paths));
        }
        return hc.get(0).equals("CMD-SHELL") ? List.of("/bin/sh", "-c", String.join(" ", out)) : out;
    }

    private List<String> healthcheckCommand(ComposeService s, Map<String, Path> paths) {
        return healthcheckCommand(s.name(), s.healthcheck(), s.environment(), networkFor(s.environment()), paths);
    }

    /** Runs a command to its end (at most {@code timeout}) with exactly this environment. */
    static HealthResult run(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("rehearsal-check-", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().clear();
                pb.environment().putAll(env);
                Process p = pb.start();
                int code = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : -1;
                if (code == -1) {
                    p.destroyForcibly();
                }
                return new HealthResult(code, Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new HealthResult(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthResult(-3, e.toString());
        }
    }

    /**
     * Volumes (named: a directory per volume; bind: the host path) and image directories of one container; files
     * the image copies from the repository or compose bind-mounts into a mapped directory are put there, with the
     * container paths in them mapped (scripts, spark-defaults.conf).
     */
    private Map<String, Path> containerPaths(ComposeService s, ImageFile image, Path dir, Map<String, Path> extra)
            throws IOException {
        Map<String, Path> paths = new LinkedHashMap<>(extra);
        paths.put("/opt/etl-jobs", etlJobsHome);
        for (Volume v : s.volumes()) {
            paths.put(v.target(), v.bind() ? Path.of(v.source())
                    : Files.createDirectories(runDir.resolve("volumes").resolve(v.source())));
        }
        Map<String, Path> files = new LinkedHashMap<>(image == null ? Map.of() : image.copiedFromContext());
        s.volumes().stream().filter(Volume::bind).forEach(v -> files.put(v.target(), Path.of(v.source())));
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (!Files.isRegularFile(file.getValue())) {
                continue;
            }
            for (Map.Entry<String, Path> p : extra.entrySet()) {
                if (file.getKey().startsWith(p.getKey() + "/")) {
                    Path dest = p.getValue().resolve(file.getKey().substring(p.getKey().length() + 1));
                    Files.createDirectories(dest.getParent());
                    Files.writeString(dest, loopback.map(Files.readString(file.getValue()), paths));
                    dest.toFile().setExecutable(file.getValue().toFile().canExecute());
                }
            }
        }
        return paths;
    }

    /**
     * {@code kill -9} of one of our services (SIGKILL to its JVM only, as the kernel's OOM killer or a crashed
     * container would end it: whatever it started is left to fend for itself); returns once the JVM is gone.
     */
    void killHard(String name) throws InterruptedException {
        ChildJvm jvm = services.get(name).jvm();
        jvm.process().destroyForcibly();
        if (!jvm.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(jvm + " still alive 30 s after SIGKILL");
        }
    }

    /**
     * Starts the service again as compose's {@code restart: unless-stopped} would: the same container environment,
     * ports and volumes; returns when its health check passes. Its log goes on in the same file.
     */
    RunningService restart(String name) throws Exception {
        RunningService old = services.get(name);
        if (old.jvm().process().isAlive()) {
            throw new IllegalStateException(old.jvm() + " is still running");
        }
        Path log = logDir.resolve(name + ".log");
        Files.move(log, logDir.resolve(name + "-before-restart-" + System.currentTimeMillis() + ".log"));
        RunningService s = startService(ServiceContainer.of(config, name));
        services.put(name, s);
        await(name + " health check after the restart " + s.healthcheck(), SERVICE_HEALTHY, s.jvm(),
                () -> s.check().exitCode() == 0);
        return s;
    }

    /**
     * The environment a command run by {@code docker compose exec <service>} would have: the container's (host
     * names and paths mapped). For postgres also where its server listens here (PGHOST/PGPORT) and, standing in
     * for the image's trusted local socket, PGPASSWORD=POSTGRES_PASSWORD.
     */
    Map<String, String> execEnvironment(String name) {
        if (services.containsKey(name)) {
            return new LinkedHashMap<>(services.get(name).env());
        }
        ComposeService s = config.service(name);
        Map<String, String> env = networkFor(s.environment()).map(s.environment(), Map.of());
        if (name.equals("postgres")) {
            env.put("PGHOST", Loopback.HOST);
            env.put("PGPORT", String.valueOf(loopback.port("postgres", 5432)));
            env.put("PGPASSWORD", postgresPassword);
        }
        return hostBasics(env, runDir);
    }

    /** This run's directory: every path of the rehearsal's processes (jars, Spark homes) lies under it. */
    Path runDir() {
        return runDir;
    }

    // ---- accessors for the test -----------------------------------------------------------------------------------

    RunningService service(String name) {
        return services.get(name);
    }

    Map<String, RunningService> services() {
        return services;
    }

    Connection postgres() throws SQLException {
        return DriverManager.getConnection(postgresUrl, postgresUser, postgresPassword);
    }

    Map<String, Duration> timings() {
        return timings;
    }

    Loopback loopback() {
        return loopback;
    }

    Path logDir() {
        return logDir;
    }

    /** One of our services as started here. */
    record RunningService(ServiceContainer container, ChildJvm jvm, int port, Map<String, String> env,
                          List<String> healthcheck, Map<String, Path> paths) {

        String url() {
            return "http://127.0.0.1:" + port;
        }

        /** Runs the health check command once (compose's timeout: 10 s at most here). */
        HealthResult check() {
            return run(healthcheck, env, Duration.ofSeconds(10));
        }
    }

    record HealthResult(int exitCode, String output) {
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** PATH (for java and curl) and HOME, which every container has; nothing else of the test JVM's environment. */
    private static Map<String, String> hostBasics(Map<String, String> env, Path home) {
        Map<String, String> out = new LinkedHashMap<>(env);
        out.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        out.putIfAbsent("HOME", home.toString());
        return out;
    }

    /** The java of the image's Java version: this JVM's, or a JDK of that version under /usr/lib/jvm. */
    static String java(int major) {
        if (Runtime.version().feature() == major) {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            return jvms.filter(d -> d.getFileName().toString().matches(".*\\D" + major + "(\\D.*)?"))
                    .map(d -> d.resolve("bin/java")).filter(Files::isExecutable).findFirst()
                    .map(Path::toString).orElseThrow(() -> new IllegalStateException("no JDK " + major
                            + " under /usr/lib/jvm for an image based on Java " + major));
        } catch (IOException e) {
            throw new IllegalStateException("no JDK " + major + " found", e);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String httpGet(String url) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Duration timeout, ChildJvm process, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.process().isAlive()) {
                throw new AssertionError(process + " exited with " + process.process().exitValue() + " before "
                        + what + "\n" + process.logTail(60));
            }
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what
                + (last == null ? "" : " (last error " + last + ")") + "\n" + process.logTail(60));
    }

    private interface Step {
        void run() throws Exception;
    }

    private void timed(String what, Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        timings.put(what, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * The service's runnable jar: the installed one (pom.xml), or {@code -Drehearsal.jar-override.<service>=<path>}
     * to rehearse a jar built elsewhere (e.g. from a work tree under review).
     */
    static String jarOf(String service) {
        String override = System.getProperty("rehearsal.jar-override." + service);
        return override == null || override.isBlank() ? property("rehearsal.jar." + service) : override;
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + name + " is not set (compose-rehearsal/pom.xml sets it)");
        }
        return value;
    }

    /** Stops every process by PID, the last started first; keeps the logs, deletes the data. Idempotent. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> toStop = new ArrayList<>(running);
        running.clear();
        Collections.reverse(toStop);
        for (AutoCloseable process : toStop) {
            try {
                process.close();
            } catch (Exception e) {
                System.err.println("rehearsal: stopping " + process + " failed: " + e);
            }
        }
        for (String data : List.of("minio", "kafka", "volumes", "trino-install")) {
            try {
                FileTrees.deleteRecursively(runDir.resolve(data));
            } catch (IOException e) {
                System.err.println("rehearsal: could not delete " + data + ": " + e);
            }
        }
    }
}

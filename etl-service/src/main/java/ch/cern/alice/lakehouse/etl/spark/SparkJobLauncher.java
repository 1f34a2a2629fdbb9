package ch.cern.alice.lakehouse.etl.spark;

import ch.cern.alice.lakehouse.etl.EtlProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts the etl-jobs Spark application in its own JVM: {@code java <flags> -cp <etl-jobs classpath>
 * org.apache.spark.deploy.SparkSubmit --master <ETL_SPARK_MASTER> --class ...EtlJobMain <jar> --dataset=..} (a
 * one-shot job: an ETL run, or with {@code --kind=optimize|vacuum} a maintenance run), or the warm application.
 * Connection settings and secrets travel in the child's environment, not on its command line.
 */
@Component
public class SparkJobLauncher {

    public static final String JOB_CLASS = "ch.cern.alice.lakehouse.etl.job.EtlJobMain";
    /** The long-lived application serving run after run (see {@link WarmSparkApplication}). */
    public static final String WARM_CLASS = "ch.cern.alice.lakehouse.etl.job.WarmEtlMain";
    static final String WARM_APP_NAME = "lakehouse-etl-warm";

    private final EtlProperties properties;
    private final DataSourceProperties dataSource;

    public SparkJobLauncher(EtlProperties properties, DataSourceProperties dataSource) {
        this.properties = properties;
        this.dataSource = dataSource;
    }

    /** Launches the job for the id range (from, to]; its stderr goes to {@code <logDir>/run-<id>.log}. */
    public SparkJobProcess launch(long runId, String dataset, long from, long to) throws IOException {
        return start(runId, command(runId, dataset, from, to));
    }

    /**
     * Launches a run of another kind than the ETL run ({@code EtlJobMain --kind=optimize|vacuum}, the handler the warm
     * application's registry has for it); {@code params} become {@code --name=value} arguments, as they become fields
     * of a warm request. Same log file, environment and parent watchdog as {@link #launch}.
     */
    public SparkJobProcess launch(long runId, String kind, String dataset, Map<String, Object> params)
            throws IOException {
        return start(runId, command(runId, kind, dataset, params));
    }

    private SparkJobProcess start(long runId, List<String> command) throws IOException {
        Path log = Files.createDirectories(properties.logDir()).resolve("run-" + runId + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().putAll(environment());
        return new SparkJobProcess(pb.start(), log);
    }

    /**
     * Starts the warm application; its stderr is appended to {@code <logDir>/warm-app.log}. Its stdin is the request
     * pipe: closing it (or this service dying) ends it.
     */
    public Process launchWarm() throws IOException {
        Path log = Files.createDirectories(properties.logDir()).resolve("warm-app.log");
        if (Files.isRegularFile(log) && Files.size(log) > 20L * 1024 * 1024) {
            Files.move(log, log.resolveSibling("warm-app.log.1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder(warmCommand())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment());
        return pb.start();
    }

    Path warmLog() {
        return properties.logDir().resolve("warm-app.log");
    }

    List<String> warmCommand() {
        return command(WARM_CLASS, WARM_APP_NAME, false, List.of());
    }

    List<String> command(long runId, String dataset, long from, long to) {
        return command(JOB_CLASS, "lakehouse-etl-" + dataset + "-" + runId,
                isLocal() && to - from < properties.sparkQuickJitBelowRows(),
                List.of("--dataset=" + dataset, "--run-id=" + runId, "--from=" + from, "--to=" + to));
    }

    List<String> command(long runId, String kind, String dataset, Map<String, Object> params) {
        List<String> arguments = new ArrayList<>(List.of("--kind=" + kind, "--dataset=" + dataset,
                "--run-id=" + runId));
        params.forEach((name, value) -> {
            if (!name.matches("[a-zA-Z][a-zA-Z0-9-]{0,40}") || value == null) {
                throw new IllegalArgumentException("bad job parameter '" + name + "'=" + value);
            }
            arguments.add("--" + name + "=" + value);
        });
        return command(JOB_CLASS, "lakehouse-etl-" + kind + "-" + dataset + "-" + runId, false, arguments);
    }

    private List<String> command(String mainClass, String name, boolean quickJit, List<String> arguments) {
        Path jar = jobsJar();
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("-Xmx" + properties.sparkDriverMemory());
        cmd.addAll(jvmFlags(jar.getParent()));
        if (quickJit) {
            cmd.add("-XX:TieredStopAtLevel=1"); // before the operator's options, which may override it
        }
        if (!blank(properties.sparkJavaOpts())) {
            cmd.addAll(List.of(properties.sparkJavaOpts().strip().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(classpath(jar));
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.add("--master");
        cmd.add(properties.sparkMaster());
        cmd.add("--class");
        cmd.add(mainClass);
        cmd.add("--name");
        cmd.add(name);
        cmd.add("--conf");
        cmd.add("spark.driver.memory=" + properties.sparkDriverMemory());
        if (isLocal()) {
            cmd.addAll(List.of("--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1"));
        }
        for (String kv : splitConf(properties.sparkConf())) {
            cmd.add("--conf");
            cmd.add(kv);
        }
        cmd.add(blank(properties.sparkAppResource()) ? jar.toString() : properties.sparkAppResource());
        cmd.addAll(arguments);
        return cmd;
    }

    Map<String, String> environment() {
        EtlProperties.S3 s3 = properties.s3();
        Map<String, String> env = new java.util.HashMap<>();
        env.put("LAKEHOUSE_DB_URL", dataSource.getUrl());
        env.put("LAKEHOUSE_DB_USER", nullToEmpty(dataSource.getUsername()));
        env.put("LAKEHOUSE_DB_PASSWORD", nullToEmpty(dataSource.getPassword()));
        env.put("LAKEHOUSE_S3_ENDPOINT", s3.endpoint());
        env.put("LAKEHOUSE_S3_ACCESS_KEY", nullToEmpty(s3.accessKey()));
        env.put("LAKEHOUSE_S3_SECRET_KEY", nullToEmpty(s3.secretKey()));
        env.put("LAKEHOUSE_S3_BUCKET", s3.bucket());
        env.put("LAKEHOUSE_S3_REGION", s3.region());
        // the job ends itself when its standard input (a pipe this service holds open) closes: see ParentWatchdog
        env.put("LAKEHOUSE_ETL_WATCH_PARENT", "true");
        if (isLocal()) {
            env.put("SPARK_LOCAL_IP", "127.0.0.1");
        }
        return env;
    }

    private boolean isLocal() {
        return properties.sparkMaster().startsWith("local");
    }

    private String javaExecutable() {
        if (!blank(properties.javaHome())) {
            return Path.of(properties.javaHome(), "bin", "java").toString();
        }
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    Path jobsJar() {
        Path home = properties.jobsHome().toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(p -> p.getFileName().toString().matches("etl-jobs-.*\\.jar")
                            && !p.getFileName().toString().matches(".*-(sources|tests|javadoc)\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no etl-jobs-*.jar in " + home
                            + " (build it: ./mvnw -B -pl etl-jobs package -DskipTests, or set ETL_JOBS_HOME)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ETL_JOBS_HOME " + home
                    + " (build etl-jobs first: ./mvnw -B -pl etl-jobs package -DskipTests)", e);
        }
    }

    private String classpath(Path jar) {
        if (!blank(properties.jobsClasspath())) {
            return jar + File.pathSeparator + properties.jobsClasspath();
        }
        Path home = jar.getParent();
        Path listed = home.resolve("classpath.txt");
        try {
            if (Files.isRegularFile(listed)) {
                return jar + File.pathSeparator + Files.readString(listed).strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.isDirectory(home.resolve("lib"))) {
            return jar + File.pathSeparator + home.resolve("lib") + File.separator + "*";
        }
        throw new IllegalStateException("neither classpath.txt nor lib/ in " + home);
    }

    /**
     * The add-opens list and system properties Spark needs on JDK 17+, as written by the etl-jobs build
     * ({@code spark-jvm-flags.txt}, from its pom) so that the flags live in one place.
     */
    static List<String> jvmFlags(Path jobsHome) {
        Path file = jobsHome.resolve("spark-jvm-flags.txt");
        try {
            return List.of(Files.readString(file).strip().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (written by the etl-jobs build)", e);
        }
    }

    static List<String> splitConf(String conf) {
        if (blank(conf)) {
            return List.of();
        }
        return Stream.of(conf.split(";")).map(String::strip).filter(s -> s.contains("=")).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

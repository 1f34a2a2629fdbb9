package ch.cern.alice.lakehouse.etl.spark;

import ch.cern.alice.lakehouse.etl.EtlProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparkJobLauncherTest {

    @TempDir
    Path jobsHome;

    @Test
    void buildsASparkSubmitCommandWithSecretsOnlyInTheEnvironment() throws Exception {
        Files.writeString(jobsHome.resolve("etl-jobs-0.1.0-SNAPSHOT.jar"), "");
        Files.writeString(jobsHome.resolve("etl-jobs-0.1.0-SNAPSHOT-sources.jar"), "");
        Files.writeString(jobsHome.resolve("classpath.txt"), "/m2/spark-core.jar:/m2/delta-spark.jar\n");
        Files.writeString(jobsHome.resolve("spark-jvm-flags.txt"), "--add-opens=java.base/java.lang=ALL-UNNAMED -Dx=y");
        SparkJobLauncher launcher = launcher("local[*]", "spark.executor.memory=2g; spark.sql.shuffle.partitions=4");

        List<String> cmd = launcher.command(7, "trace", 100, 250);

        String jar = jobsHome.resolve("etl-jobs-0.1.0-SNAPSHOT.jar").toString();
        assertThat(cmd).containsSubsequence("-Xmx3g", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dx=y", "-XX:+UseSerialGC", "-cp",
                jar + ":/m2/spark-core.jar:/m2/delta-spark.jar", "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[*]", "--class", SparkJobLauncher.JOB_CLASS);
        assertThat(cmd).containsSubsequence("--conf", "spark.driver.host=127.0.0.1");
        assertThat(cmd).containsSubsequence("--conf", "spark.executor.memory=2g", "--conf",
                "spark.sql.shuffle.partitions=4");
        assertThat(cmd.subList(cmd.size() - 5, cmd.size()))
                .containsExactly(jar, "--dataset=trace", "--run-id=7", "--from=100", "--to=250");
        assertThat(String.join(" ", cmd)).doesNotContain("db-secret").doesNotContain("s3-secret");

        Map<String, String> env = launcher.environment();
        assertThat(env).containsEntry("LAKEHOUSE_DB_PASSWORD", "db-secret")
                .containsEntry("LAKEHOUSE_S3_SECRET_KEY", "s3-secret")
                .containsEntry("LAKEHOUSE_S3_BUCKET", "lake")
                .containsEntry("SPARK_LOCAL_IP", "127.0.0.1");
    }

    @Test
    void shortLocalRunsUseTheC1CompilerOnly() throws Exception {
        Files.writeString(jobsHome.resolve("etl-jobs-1.0.jar"), "");
        Files.writeString(jobsHome.resolve("classpath.txt"), "/m2/a.jar");
        Files.writeString(jobsHome.resolve("spark-jvm-flags.txt"), "-Dx=y");

        // the threshold is 1000 rows: a range of 999 ids is short, 1000 is not
        List<String> shortRun = launcher("local[*]", "").command(1, "trace", 1, 1000);
        assertThat(shortRun).containsSubsequence("-Dx=y", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp");
        assertThat(launcher("local[*]", "").command(2, "trace", 0, 1000)).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(new SparkJobLauncher(properties("spark://spark:7077", "", ""), dataSource())
                .command(3, "trace", 1, 10)).doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void clusterMastersGetNoLoopbackDriverAndMayUseAnImageJar() throws Exception {
        Files.writeString(jobsHome.resolve("etl-jobs-1.0.jar"), "");
        Files.writeString(jobsHome.resolve("classpath.txt"), "/m2/a.jar");
        Files.writeString(jobsHome.resolve("spark-jvm-flags.txt"), "-Dx=y");
        SparkJobLauncher launcher = new SparkJobLauncher(properties("k8s://https://k8s.example:6443", "",
                "local:///opt/etl/etl-jobs.jar"), dataSource());

        List<String> cmd = launcher.command(1, "jdl", 0, 10);

        assertThat(cmd).doesNotContain("spark.driver.host=127.0.0.1");
        assertThat(cmd).contains("local:///opt/etl/etl-jobs.jar");
        assertThat(launcher.environment()).doesNotContainKey("SPARK_LOCAL_IP");
    }

    @Test
    void aMaintenanceRunIsTheOneShotJobWithItsKindAndParameters() throws Exception {
        Files.writeString(jobsHome.resolve("etl-jobs-1.0.jar"), "");
        Files.writeString(jobsHome.resolve("classpath.txt"), "/m2/a.jar");
        Files.writeString(jobsHome.resolve("spark-jvm-flags.txt"), "-Dx=y");
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("retain-hours", 169.5);
        params.put("allow-below-safety", false);

        List<String> cmd = launcher("local[*]", "").command(9, "vacuum", "trace", params);

        assertThat(cmd).containsSubsequence("org.apache.spark.deploy.SparkSubmit", "--class", SparkJobLauncher.JOB_CLASS,
                "--name", "lakehouse-etl-vacuum-trace-9");
        assertThat(cmd.subList(cmd.size() - 6, cmd.size())).containsExactly(jobsHome.resolve("etl-jobs-1.0.jar")
                .toString(), "--kind=vacuum", "--dataset=trace", "--run-id=9", "--retain-hours=169.5",
                "--allow-below-safety=false");
        assertThatThrownBy(() -> launcher("local[*]", "").command(9, "optimize", "trace", Map.of("a b", 1)))
                .hasMessageContaining("bad job parameter");
    }

    @Test
    void saysHowToBuildTheJobWhenItIsMissing() {
        assertThatThrownBy(() -> launcher("local[*]", "").command(1, "trace", 0, 1))
                .hasMessageContaining("etl-jobs package");
    }

    private SparkJobLauncher launcher(String master, String conf) {
        return new SparkJobLauncher(properties(master, conf, ""), dataSource());
    }

    private EtlProperties properties(String master, String conf, String appResource) {
        return new EtlProperties(master, "3g", "-XX:+UseSerialGC", conf, appResource, 1000, jobsHome, "", "", jobsHome.resolve("logs"), 1,
                "-", 1000, Duration.ofMinutes(1),
                new EtlProperties.S3("http://127.0.0.1:9000", "key", "s3-secret", "lake", "us-east-1"),
                new EtlProperties.Callbacks("", "", "", ""));
    }

    private static DataSourceProperties dataSource() {
        DataSourceProperties ds = new DataSourceProperties();
        ds.setUrl("jdbc:postgresql://127.0.0.1:5432/lakehouse");
        ds.setUsername("lakehouse");
        ds.setPassword("db-secret");
        return ds;
    }
}

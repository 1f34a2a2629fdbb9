package ch.cern.alice.lakehouse.rehearsal;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How the rehearsal turns compose values into values for one host (no process started). */
class LoopbackTest {

    private final Loopback net = new Loopback(Set.of("postgres", "kafka", "minio", "trino", "etl-service",
            "spark-master", "web-ui", "query-gateway"));

    @Test
    void hostsWithPortsBecomeOneLoopbackPortEach() {
        int pg = net.port("postgres", 5432);
        assertThat(net.map("jdbc:postgresql://postgres:5432/lakehouse", Map.of()))
                .isEqualTo("jdbc:postgresql://127.0.0.1:" + pg + "/lakehouse");
        assertThat(net.map("kafka:9092", Map.of())).isEqualTo("127.0.0.1:" + net.port("kafka", 9092));
        assertThat(net.map("jdbc:trino://trino:8443", Map.of())).as("the scheme 'trino' is no host")
                .isEqualTo("jdbc:trino://127.0.0.1:" + net.port("trino", 8443));
        assertThat(net.port("kafka", 9092)).isNotEqualTo(net.port("kafka", 9093));
    }

    @Test
    void bareHostsListsAndAllInterfacesBecomeLoopback() {
        assertThat(net.map("spark.driver.host=etl-service;spark.driver.bindAddress=0.0.0.0", Map.of()))
                .isEqualTo("spark.driver.host=127.0.0.1;spark.driver.bindAddress=127.0.0.1");
        assertThat(net.map("web-ui", Map.of())).isEqualTo("127.0.0.1");
        assertThat(net.map("trino, web-ui", Map.of())).isEqualTo("127.0.0.1, 127.0.0.1");
        assertThat(net.map("postgresql", Map.of())).as("not a host name").isEqualTo("postgresql");
        assertThat(net.map(Map.of("POSTGRES_USER", "postgres", "PGHOST", "postgres"), Map.of()))
                .containsEntry("POSTGRES_USER", "postgres").containsEntry("PGHOST", "127.0.0.1");
    }

    @Test
    void containerPathsAreMappedOnceLongestFirst() {
        Map<String, Path> paths = Map.of("/opt/etl-jobs", Path.of("/tmp/run/opt-etl-jobs"), "/tmp", Path.of("/tmp/run/tmp"),
                "/app", Path.of("/tmp/run/app"), "/app/etl-logs", Path.of("/tmp/run/volumes/etl-logs"));
        assertThat(net.map("local:///opt/etl-jobs/etl-jobs.jar", paths)).isEqualTo("local:///tmp/run/opt-etl-jobs/etl-jobs.jar");
        assertThat(net.map("x=/opt/etl-jobs/a.jar:/opt/etl-jobs/lib/*", paths))
                .isEqualTo("x=/tmp/run/opt-etl-jobs/a.jar:/tmp/run/opt-etl-jobs/lib/*");
        assertThat(net.map("/app/etl-logs", paths)).isEqualTo("/tmp/run/volumes/etl-logs");
        assertThat(net.map("home=${ETL_JOBS_HOME:-/opt/etl-jobs}", paths)).isEqualTo("home=${ETL_JOBS_HOME:-/tmp/run/opt-etl-jobs}");
        assertThat(net.map("/opt/etl-jobsX", paths)).as("a longer name is another path").isEqualTo("/opt/etl-jobsX");
    }

    @Test
    void anOverrideSendsOneProcessToItsOwnInstance() {
        int shared = net.port("minio", 9000);
        Loopback etl = net.withOverride("minio:9000", shared + 1);
        assertThat(etl.map("http://minio:9000", Map.of())).isEqualTo("http://127.0.0.1:" + (shared + 1));
        assertThat(net.map("http://minio:9000", Map.of())).isEqualTo("http://127.0.0.1:" + shared);
        assertThat(etl.port("kafka", 9092)).isEqualTo(net.port("kafka", 9092));
    }

    @Test
    void theResolvedConfigsDollarsAreTheContainersSingleDollars() {
        ComposeConfig config = ComposeConfig.parse(Path.of("."), """
                services:
                  web-ui:
                    environment:
                      LAKEHOUSE_USERS: admin:{bcrypt}$$2y$$10$$abc:admin
                    healthcheck:
                      test: ["CMD-SHELL", "pg_isready -U \\"$$POSTGRES_USER\\""]
                """);
        assertThat(config.service("web-ui").environment()).containsEntry("LAKEHOUSE_USERS", "admin:{bcrypt}$2y$10$abc:admin");
        assertThat(config.service("web-ui").healthcheck()).containsExactly("CMD-SHELL", "pg_isready -U \"$POSTGRES_USER\"");
    }

    @Test
    void theRuntimeStageOfADockerfileGivesEnvHealthcheckAndEntrypoint() throws Exception {
        Path dir = Files.createTempDirectory("imagefile");
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), """
                ARG JAVA_VERSION=17
                FROM maven:3.9-eclipse-temurin-${JAVA_VERSION} AS build
                ENV BUILD_ONLY=1
                FROM eclipse-temurin:${JAVA_VERSION}-jre
                ARG PORT
                WORKDIR /app
                COPY deploy/x.sh /app/x.sh
                ENV SERVER_ADDRESS=0.0.0.0 SERVICE_PORT=${PORT} JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -Da=b"
                EXPOSE ${PORT}
                HEALTHCHECK --interval=10s --timeout=3s \\
                    CMD curl -fsS "http://127.0.0.1:${SERVICE_PORT}/actuator/health" || exit 1
                ENTRYPOINT ["java", "-jar", "/app/app.jar"]
                """);
        ImageFile image = ImageFile.parse(dockerfile, dir, Map.of("PORT", "8084", "JAVA_VERSION", "25"));
        assertThat(image.javaMajor()).isEqualTo(25);
        assertThat(image.env()).containsEntry("SERVICE_PORT", "8084")
                .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70 -Da=b").doesNotContainKey("BUILD_ONLY");
        assertThat(image.expose()).containsExactly(8084);
        assertThat(image.workdir()).isEqualTo("/app");
        assertThat(image.healthcheck()).containsExactly("CMD-SHELL",
                "curl -fsS \"http://127.0.0.1:${SERVICE_PORT}/actuator/health\" || exit 1");
        assertThat(image.entrypoint()).containsExactly("java", "-jar", "/app/app.jar");
        assertThat(image.copiedFromContext()).containsEntry("/app/x.sh", dir.resolve("deploy/x.sh"));
    }
}

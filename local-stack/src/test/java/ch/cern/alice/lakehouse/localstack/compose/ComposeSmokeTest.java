package ch.cern.alice.lakehouse.localstack.compose;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds and starts the compose deployment's intake path (Kafka + collector-service) and posts one record through it.
 * Needs a Docker engine: skipped where there is none (the plain {@link ComposeFileTest} still checks the file).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeTest {

    private static final File COMPOSE_FILE = Path.of(System.getProperty("repo.root", ".."), "docker-compose.yml")
            .toAbsolutePath().normalize().toFile();

    @Container
    static final ComposeContainer STACK = new ComposeContainer(COMPOSE_FILE)
            .withServices("kafka", "collector-service")
            .withBuild(true)
            // compose resolves every service's variables, those of the services not started too
            .withEnv("LAKEHOUSE_DB_ADMIN_PASSWORD", "smoke-db-admin")
            .withEnv("LAKEHOUSE_DB_STAGING_PASSWORD", "smoke-db-staging")
            .withEnv("LAKEHOUSE_DB_INGEST_PASSWORD", "smoke-db-ingest")
            .withEnv("LAKEHOUSE_DB_ETL_PASSWORD", "smoke-db-etl-pw")
            .withEnv("LAKEHOUSE_DB_QUERY_PASSWORD", "smoke-db-query")
            .withEnv("LAKEHOUSE_DB_VERSIONING_PASSWORD", "smoke-db-versioning")
            .withEnv("LAKEHOUSE_S3_ROOT_USER", "smoke-root")
            .withEnv("LAKEHOUSE_S3_ROOT_PASSWORD", "smoke-root-secret")
            .withEnv("LAKEHOUSE_S3_ETL_SECRET_KEY", "smoke-etl-secret")
            .withEnv("LAKEHOUSE_S3_TRINO_SECRET_KEY", "smoke-trino-secret")
            .withEnv("LAKEHOUSE_S3_VERSIONING_SECRET_KEY", "smoke-versioning-secret")
            .withEnv("LAKEHOUSE_S3_QUERY_SECRET_KEY", "smoke-query-secret")
            .withEnv("LAKEHOUSE_TRINO_PASSWORD", "smoke-trino-gateway")
            .withEnv("TRINO_ADMIN_PASSWORD", "smoke-trino-admin")
            // the published collector refuses {noop} and placeholder passwords: a bcrypt hash of smoke-viewer-pw
            .withEnv("LAKEHOUSE_USERS",
                    "viewer:{bcrypt}$2a$10$.eqaFXnWm4gAe/.XvTYXdOhZ0DixI8TPN9hATJkyz1NeHWdg8XGWK:viewer")
            .withEnv("LAKEHOUSE_SERVICE_USER", "admin")
            .withEnv("LAKEHOUSE_SERVICE_PASSWORD", "smoke-admin")
            .withEnv("COLLECTOR_SITE_KEYS", "CERN:{plain}smoke-key:*")
            .withExposedService("collector-service", 8081,
                    Wait.forHttp("/actuator/health").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(15)));

    @Test
    void aSiteCanPostARecordToTheComposedCollector() throws Exception {
        String base = "http://" + STACK.getServiceHost("collector-service", 8081) + ":"
                + STACK.getServicePort("collector-service", 8081);
        String record = "[{\"job_id\":3100200300,\"status\":\"DONE\",\"site\":\"CERN\","
                + "\"job_submit_timestamp\":1767225600}]";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/api/v1/datasets/job_info/records"))
                .header("Content-Type", "application/json").header("X-Api-Key", "smoke-key")
                .POST(HttpRequest.BodyPublishers.ofString(record)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).contains("\"accepted\":1");

        // the per-site stats need a user login, the site's key is none
        URI stats = URI.create(base + "/api/v1/stats");
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(stats).header("X-Api-Key", "smoke-key")
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> viewer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stats)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "viewer:smoke-viewer-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viewer.statusCode()).as(viewer.body()).isEqualTo(200);
        assertThat(viewer.body()).contains("\"site\":\"CERN\"");
    }
}

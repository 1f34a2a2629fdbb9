package ch.cern.alice.lakehouse.collector;

import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient;
import ch.cern.alice.lakehouse.collector.testsupport.CollectorClient.Response;
import ch.cern.alice.lakehouse.collector.testsupport.SampleRecords;
import ch.cern.alice.lakehouse.collector.testsupport.TestSiteKeys;
import ch.cern.alice.lakehouse.collector.testsupport.TestUsers;
import ch.cern.alice.lakehouse.collector.testsupport.TopicReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two kinds of callers that must not stand in for each other, against a real embedded KRaft broker over real HTTP:
 * the statistics and the actuator need a user login of service-support ({@code LAKEHOUSE_USERS}), the records a site
 * API key. A site key is no login for the statistics, a user login (even an admin's) posts no record. Failed logins
 * are throttled here as in every service (per user name; the per-address limit is raised so the other tests of this
 * class keep their address).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestSiteKeys.PROPERTY,
        TestUsers.PROPERTY + ";tess:{noop}tess-pw:viewer",
        "lakehouse.security.login-throttle.max-failures=3",
        "lakehouse.security.login-throttle.max-failures-per-address=1000",
        "lakehouse.security.login-throttle.initial-delay=150s",
        "collector.topic-partitions=1",
        "collector.kafka-ack-timeout=15s"})
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = {"auto.create.topics.enable=false"})
@DirtiesContext
class LoginAndSiteKeyTest {

    private static final String STATS = "/api/v1/stats";

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    CollectorClient client;

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        client = new CollectorClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.get("/actuator/health/readiness").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void statsNeedAUserLoginOfAViewerOrAbove() {
        Response anonymous = client.get(STATS);
        assertThat(anonymous.status()).as("no login").isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("accepted");
        assertThat(client.get(STATS, TestUsers.basic("vic", "wrong")).status()).as("wrong password").isEqualTo(401);
        assertThat(client.get(STATS, TestUsers.basic("nobody", "vic-pw")).status()).as("unknown user")
                .isEqualTo(401);

        Response viewer = client.get(STATS, TestUsers.VIEWER);
        assertThat(viewer.status()).as("viewer").isEqualTo(200);
        assertThat(viewer.json().has("totals")).isTrue();
        assertThat(client.get(STATS, TestUsers.RESEARCHER).status()).as("researcher").isEqualTo(200);
        assertThat(client.get(STATS, TestUsers.ADMIN).status()).as("admin").isEqualTo(200);
        assertThat(client.get(STATS, TestUsers.SERVICE).status()).as("the service account").isEqualTo(200);
        assertThat(client.get(STATS, TestUsers.METRICS).status()).as("a scrape account reads metrics only")
                .isEqualTo(403);
    }

    @Test
    void aSiteKeyIsNoLoginForTheStats() {
        Response keyHeader = client.send(HttpRequest.newBuilder(client.uri(STATS))
                .header("X-Api-Key", TestSiteKeys.CERN_KEY).GET().build());
        assertThat(keyHeader.status()).as("X-Api-Key of a site that may send everything").isEqualTo(401);
        assertThat(client.get(STATS, TestUsers.basic("CERN", TestSiteKeys.CERN_KEY)).status())
                .as("the site's key as the password of a user named like the site").isEqualTo(401);
        assertThat(client.get(STATS, "Bearer " + TestSiteKeys.CERN_KEY).status()).as("the key as a bearer token")
                .isEqualTo(401);
        assertThat(client.send(HttpRequest.newBuilder(client.uri("/api/v1/datasets/trace/records"))
                .header("X-Api-Key", TestSiteKeys.CERN_KEY).GET().build()).status())
                .as("only POST of records is open to sites, nothing else on their path").isEqualTo(401);
    }

    @Test
    void aUserLoginPostsNoRecordAndDoesNotWidenASiteKey() {
        long jobId = SampleRecords.nextJobId();
        String body = SampleRecords.jsonArray(List.of(SampleRecords.trace(jobId)));

        Response adminWithoutKey = client.send(HttpRequest.newBuilder(client.uri("/api/v1/datasets/trace/records"))
                .header("Authorization", TestUsers.ADMIN).header("Content-Type", CollectorClient.JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(adminWithoutKey.status()).as(adminWithoutKey.body()).isEqualTo(401);
        assertThat(adminWithoutKey.json().get("detail").asString()).contains("missing X-Api-Key");

        Response adminWithFzkKey = client.send(HttpRequest.newBuilder(client.uri("/api/v1/datasets/jdl/records"))
                .header("Authorization", TestUsers.ADMIN).header("X-Api-Key", TestSiteKeys.FZK_KEY)
                .header("Content-Type", CollectorClient.JSON)
                .POST(HttpRequest.BodyPublishers.ofString("[" + SampleRecords.jdl(jobId, "x") + "]")).build());
        assertThat(adminWithFzkKey.status()).as("FZK's key may not send jdl, an admin login changes nothing")
                .isEqualTo(403);

        assertThat(TopicReader.size(bootstrap, "lakehouse.trace")).as("nothing published by a login").isZero();
        JsonNode stats = client.stats();
        assertThat(stats.at("/totals/accepted").asLong()).isZero();

        // the login is not even checked on the records path: a wrong password beside a valid key is no refusal
        // (and no password can be guessed through the intake)
        Response keyAndWrongPassword = client.send(HttpRequest.newBuilder(
                        client.uri("/api/v1/datasets/trace/records"))
                .header("Authorization", TestUsers.basic("ada", "not-checked-here")).header("X-Api-Key",
                        TestSiteKeys.CERN_KEY)
                .header("Content-Type", CollectorClient.JSON).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(keyAndWrongPassword.status()).as(keyAndWrongPassword.body()).isEqualTo(202);
        assertThat(client.stats().at("/totals/accepted").asLong()).isEqualTo(1);
    }

    @Test
    void healthShowsItsStatusToAnyoneAndDetailsToAdminsMetricsNeedAScrapeAccount() {
        Response anonymousHealth = client.get("/actuator/health");
        assertThat(anonymousHealth.status()).isEqualTo(200);
        assertThat(anonymousHealth.json().get("status").asString()).isEqualTo("UP");
        assertThat(anonymousHealth.json().has("components")).as("no details for anonymous callers").isFalse();
        assertThat(client.get("/actuator/health/readiness", TestUsers.VIEWER).json().has("components"))
                .as("nor for a viewer").isFalse();
        assertThat(client.get("/actuator/health/readiness", TestUsers.ADMIN).json()
                .at("/components/kafka/status").asString()).as("an admin sees Kafka's state").isEqualTo("UP");

        for (String path : List.of("/actuator/prometheus", "/actuator/metrics")) {
            assertThat(client.get(path).status()).as("anonymous " + path).isEqualTo(401);
            assertThat(client.get(path, TestUsers.VIEWER).status()).as("viewer " + path).isEqualTo(403);
            assertThat(client.get(path, TestUsers.SERVICE).status()).as("service account " + path).isEqualTo(403);
            assertThat(client.send(HttpRequest.newBuilder(client.uri(path)).header("X-Api-Key", TestSiteKeys.CERN_KEY)
                    .GET().build()).status()).as("site key " + path).isEqualTo(401);
            assertThat(client.get(path, TestUsers.METRICS).status()).as("scrape account " + path).isEqualTo(200);
            assertThat(client.get(path, TestUsers.ADMIN).status()).as("admin " + path).isEqualTo(200);
        }
    }

    @Test
    void failedLoginsAreThrottledWithRetryAfterEvenForTheRightPassword() {
        for (int i = 0; i < 3; i++) {
            assertThat(client.get(STATS, TestUsers.basic("tess", "guess-" + i)).status()).isEqualTo(401);
        }
        Response throttled = client.get(STATS, TestUsers.basic("tess", "tess-pw"));
        assertThat(throttled.status()).as(throttled.body()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(140L, 150L);
        assertThat(throttled.json().get("retryAfterSeconds").asLong()).isBetween(140L, 150L);
        assertThat(client.get(STATS, TestUsers.VIEWER).status()).as("other users are not held up").isEqualTo(200);
    }
}

package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Who reads the actuator, and what the METRICS and SERVICE accounts may do, over real HTTP (from 127.0.0.1). */
@SecuredServiceTest
class ActuatorAndRolesHttpTest {

    @Value("${local.server.port}")
    int port;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void healthAnswersAnyoneWithItsStatusAloneAndAdminsWithDetails() throws Exception {
        HttpResponse<String> anonymous = http.get("/actuator/health", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("components", "details", "disk");
        assertThat(http.get("/actuator/health/readiness", null, null).body()).isEqualTo("{\"status\":\"UP\"}");

        assertThat(http.get("/actuator/health", "rita", "rita-pw").body()).as("a researcher")
                .doesNotContain("components");
        assertThat(http.get("/actuator/health", "root", "root-pw").body()).as("an admin")
                .contains("\"components\"", "\"diskSpace\"");
        assertThat(http.get("/actuator/info", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusOnlyForTheScrapeAccountAndAdmins() throws Exception {
        assertThat(http.get("/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        assertThat(http.get("/actuator/metrics", null, null).statusCode()).isEqualTo(401);
        assertThat(http.get("/actuator/prometheus", "rita", "rita-pw").statusCode()).isEqualTo(403);
        assertThat(http.get("/actuator/prometheus", "etl", "etl-pw").statusCode()).isEqualTo(403);

        HttpResponse<String> scraped = http.get("/actuator/prometheus", "scraper", "scrape-pw");
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("# HELP jvm_memory_used_bytes");
        assertThat(http.get("/actuator/metrics", "scraper", "scrape-pw").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus", "root", "root-pw").statusCode()).isEqualTo(200);
    }

    @Test
    void theScrapeAccountReadsNoData() throws Exception {
        assertThat(http.get("/api/v1/examples", "scraper", "scrape-pw").statusCode()).isEqualTo(403);
    }

    @Test
    void theServiceAccountCallsServiceEndpointsAndReadsLikeAViewerButIsNoResearcherOrAdmin() throws Exception {
        assertThat(http.send("POST", "/api/v1/internal/refresh", "etl", "etl-pw").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/examples", "etl", "etl-pw").statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/examples", "etl", "etl-pw").statusCode()).isEqualTo(403);

        assertThat(http.send("POST", "/api/v1/internal/refresh", "root", "root-pw").statusCode())
                .as("admins include the service role").isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/internal/refresh", "rita", "rita-pw").statusCode())
                .isEqualTo(403);
        assertThat(http.send("POST", "/api/v1/examples", "root", "root-pw").statusCode()).isEqualTo(200);
    }
}

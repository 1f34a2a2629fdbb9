package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/** One audit line per failed login, throttled attempt and denied action, on the lakehouse.audit logger. */
@SecuredServiceTest
class SecurityAuditHttpTest {

    @Value("${local.server.port}")
    int port;

    private Http http;
    private AuditLogCapture audit;

    @BeforeEach
    void open() {
        http = new Http(port);
        audit = new AuditLogCapture();
    }

    @AfterEach
    void close() {
        audit.close();
    }

    @Test
    void aFailedLoginIsOneLineWithUserClientPathAndOutcome() throws Exception {
        assertThat(http.get("/api/v1/examples?secret=1", "mallory", "nope", "203.0.113.7").statusCode())
                .isEqualTo(401);

        assertThat(audit.lines()).containsExactly("event=login_failed user=\"mallory\" client=203.0.113.7 method=GET "
                + "path=/api/v1/examples outcome=401 reason=bad_credentials user_failures=1 address_failures=1");
    }

    @Test
    void theLoginThatStartsAWaitSaysSoAndEachThrottledAttemptIsALine() throws Exception {
        for (int i = 1; i <= 5; i++) {
            http.get("/api/v1/examples", "trudy", "guess-" + i, "203.0.113.8");
        }
        http.get("/api/v1/examples", "trudy", "guess-6", "203.0.113.8");
        http.get("/api/v1/examples", "trudy", "guess-7", "203.0.113.8");

        assertThat(audit.lines()).hasSize(7);
        assertThat(audit.lines().get(4)).startsWith("event=login_failed user=\"trudy\" client=203.0.113.8")
                .contains("user_failures=5 address_failures=5 throttled_for_s=2");
        assertThat(audit.lines().subList(5, 7)).allSatisfy(line -> assertThat(line)
                .matches("event=login_throttled user=\"trudy\" client=203\\.0\\.113\\.8 method=GET "
                        + "path=/api/v1/examples outcome=429 retry_after_s=[12]"));
    }

    @Test
    void deniedActionsAreLinesWhateverDeniedThem() throws Exception {
        assertThat(http.send("POST", "/api/v1/examples", "vic", "vic-pw", "203.0.113.9").statusCode())
                .as("viewer -> @PreAuthorize researcher").isEqualTo(403);
        assertThat(http.get("/actuator/prometheus", "vic", "vic-pw", "203.0.113.9").statusCode())
                .as("viewer -> URL rule of the filter chain").isEqualTo(403);
        assertThat(http.send("DELETE", "/api/v1/examples/42", "rita", "rita-pw", "203.0.113.9").statusCode())
                .as("the service's own 403").isEqualTo(403);

        assertThat(audit.lines()).containsExactly(
                "event=access_denied user=\"vic\" client=203.0.113.9 method=POST path=/api/v1/examples outcome=403 "
                        + "by=SecuredExampleService.create",
                "event=access_denied user=\"vic\" client=203.0.113.9 method=GET path=/actuator/prometheus "
                        + "outcome=403 by=url_rule",
                "event=access_denied user=\"rita\" client=203.0.113.9 method=DELETE path=/api/v1/examples/42 "
                        + "outcome=403 by=service");
    }

    @Test
    void allowedCallsAndCallsWithoutCredentialsWriteNothing() throws Exception {
        assertThat(http.get("/api/v1/examples", "vic", "vic-pw").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/examples", null, null).statusCode()).isEqualTo(401);
        assertThat(http.get("/actuator/health", null, null).statusCode()).isEqualTo(200);

        assertThat(audit.lines()).isEmpty();
    }

    @Test
    void aCraftedUserNameCannotForgeALine() throws Exception {
        http.get("/api/v1/examples", "x\" outcome=200\nevent=login_ok user=\"root", "nope", "203.0.113.10");

        assertThat(audit.lines()).hasSize(1);
        assertThat(audit.lines().get(0)).doesNotContain("\n")
                .startsWith("event=login_failed user=\"x\\\" outcome=200\\u000aevent=login_ok user=\\\"root\" "
                        + "client=203.0.113.10 ");
    }
}

package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Login throttling against a running service, over real HTTP. Each test has its own users and client addresses. */
@SecuredServiceTest
class LoginThrottleHttpTest {

    private static final String EXAMPLES = "/api/v1/examples";

    @Value("${local.server.port}")
    int port;

    @Autowired
    LoginThrottle throttle;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void sixthWrongPasswordIs429AndTheRightPasswordWaitsTooUntilRetryAfterHasPassed() throws Exception {
        String client = "198.51.100.1";
        for (int i = 1; i <= 5; i++) {
            assertThat(http.get(EXAMPLES, "ada", "guess-" + i, client).statusCode()).as("wrong password %d", i)
                    .isEqualTo(401);
        }

        HttpResponse<String> sixth = http.get(EXAMPLES, "ada", "guess-6", client);
        assertThat(sixth.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(sixth.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(sixth.body()).contains("\"status\":429", "try again in");

        HttpResponse<String> rightButTooEarly = http.get(EXAMPLES, "ada", "ada-pw", client);
        assertThat(rightButTooEarly.statusCode()).as("the right password during the wait").isEqualTo(429);
        assertThat(http.get(EXAMPLES, "ada", "ada-pw", "198.51.100.2").statusCode())
                .as("the user name waits from every address").isEqualTo(429);

        Thread.sleep(retryAfter * 1000 + 300);
        assertThat(http.get(EXAMPLES, "ada", "ada-pw", "198.51.100.2").statusCode()).as("after the wait")
                .isEqualTo(200);
        assertThat(http.get(EXAMPLES, "ada", "guess-7", "198.51.100.2").statusCode())
                .as("a success cleared the user name: one new failure is only a failure").isEqualTo(401);
        assertThat(http.get(EXAMPLES, "ada", "ada-pw", "198.51.100.2").statusCode()).isEqualTo(200);
    }

    @Test
    void eachFailureAfterAWaitDoublesTheNextWait() throws Exception {
        String client = "198.51.100.10";
        for (int i = 1; i <= 5; i++) {
            assertThat(http.get(EXAMPLES, "bob", "guess-" + i, client).statusCode()).isEqualTo(401);
        }
        long first = retryAfter(http.get(EXAMPLES, "bob", "bob-pw", client));
        assertThat(first).isBetween(1L, 2L);
        Thread.sleep(first * 1000 + 300);

        assertThat(http.get(EXAMPLES, "bob", "guess-6", client).statusCode()).as("the failure is still answered 401")
                .isEqualTo(401);
        long second = retryAfter(http.get(EXAMPLES, "bob", "bob-pw", client));
        assertThat(second).as("doubled").isBetween(3L, 4L);
    }

    @Test
    void oneAddressTryingManyUserNamesIsThrottledForAllOfThem() throws Exception {
        String sprayer = "203.0.113.50";
        for (int i = 1; i <= 5; i++) {
            assertThat(http.get(EXAMPLES, "nobody-" + i, "Winter2025!", sprayer).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> validUserSameAddress = http.get(EXAMPLES, "cyd", "cyd-pw", sprayer);
        assertThat(validUserSameAddress.statusCode()).isEqualTo(429);
        assertThat(validUserSameAddress.headers().firstValue("Retry-After")).isPresent();
        assertThat(http.get(EXAMPLES, "cyd", "cyd-pw", "203.0.113.51").statusCode())
                .as("the same user from another address").isEqualTo(200);
    }

    /** As through the web UI (127.0.0.1 is a trusted proxy here): it forwards the client's line and appends its own. */
    @Test
    void aClientWritingItsOwnXForwardedForBehindTheProxyIsStillOneAddress() throws Exception {
        String seenByTheProxy = "198.51.100.77";
        for (int i = 1; i <= 5; i++) {
            assertThat(http.get(EXAMPLES, "nobody-else-" + i, "x", "6.6.6." + i, seenByTheProxy).statusCode())
                    .isEqualTo(401);
        }
        assertThat(http.get(EXAMPLES, "cyd", "cyd-pw", "7.7.7.7, 8.8.8.8", seenByTheProxy).statusCode())
                .isEqualTo(429);
    }

    @Test
    void theUserNameIsThrottledWhateverItsCase() throws Exception {
        String[] spellings = {"eve", "Eve", "EVE", "eVe", "evE"};
        for (int i = 0; i < spellings.length; i++) {
            assertThat(http.get(EXAMPLES, spellings[i], "guess-" + i, "198.51.100." + (30 + i)).statusCode())
                    .isEqualTo(401);
        }
        assertThat(http.get(EXAMPLES, "eve", "eve-pw", "198.51.100.40").statusCode()).isEqualTo(429);
    }

    @Test
    void sprayingMadeUpUserNamesFromManyAddressesKeepsTheMapsBoundedAndForgetsNoUserThatWaited() throws Exception {
        for (int i = 1; i <= 5; i++) {
            assertThat(http.get(EXAMPLES, "dan", "guess-" + i, "192.0.2." + i).statusCode()).isEqualTo(401);
        }
        assertThat(http.get(EXAMPLES, "dan", "dan-pw", "192.0.2.99").statusCode()).isEqualTo(429);

        for (int i = 0; i < 60; i++) {
            http.get(EXAMPLES, "spray-" + i, "x", "10.9." + (i / 250) + "." + (i % 250 + 1));
        }

        assertThat(throttle.userEntries()).as("user names remembered").isLessThanOrEqualTo(16);
        assertThat(throttle.addressEntries()).as("addresses remembered").isLessThanOrEqualTo(16);
        Thread.sleep(throttle.waitFor("dan", null).toMillis() + 100);
        assertThat(http.get(EXAMPLES, "dan", "guess-6", "192.0.2.98").statusCode()).isEqualTo(401);
        assertThat(http.get(EXAMPLES, "dan", "dan-pw", "192.0.2.98").statusCode())
                .as("dan was remembered through the spray: one more failure after a wait starts the next wait")
                .isEqualTo(429);
    }

    private static long retryAfter(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(429);
        return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
    }
}

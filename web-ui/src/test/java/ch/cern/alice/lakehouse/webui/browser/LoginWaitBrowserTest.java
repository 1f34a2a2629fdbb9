package ch.cern.alice.lakehouse.webui.browser;

import ch.cern.alice.lakehouse.webui.WebUiTestUsers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The wait after too many failed sign-ins, with the web-ui's real login throttling (service-support: 429 and
 * {@code Retry-After} before the password is checked), here after 2 failures of a user name with a first wait of
 * 150 s (its own application context, so the other tests keep their users; the per-address limit is raised so the
 * other users of this class can still sign in from 127.0.0.1). The sign-in form counts the wait down instead of
 * showing a generic error. The collector and ingest stand in as a small HTTP server answering every call with the 429
 * a throttled user gets from them: the Ingest page says so and keeps the session.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lakehouse.security.login-throttle.max-failures=2",
        "lakehouse.security.login-throttle.max-failures-per-address=1000",
        "lakehouse.security.login-throttle.initial-delay=150s"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginWaitBrowserTest {

    private static final Pattern EXPECTED_ERRORS = Pattern.compile(
            "/api/me - Failed to load resource: the server responded with a status of (401|429)"
                    + "|/api/v1/\\S* - Failed to load resource: the server responded with a status of (429|502)");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("webui.screenshots.dir", "target/screenshots"));
    private static final int DOWN_PORT = WebUiTestUsers.closedPort();
    private static final HttpServer THROTTLING_BACKEND = throttlingBackend();
    private static final Pattern WAIT = Pattern.compile(
            "Too many failed sign-ins - try again in (\\d+) min(?: (\\d+) s)?\\.");

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private BrowserSession browser;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lakehouse.security.users", () -> WebUiTestUsers.USERS);
        String throttling = "http://127.0.0.1:" + THROTTLING_BACKEND.getAddress().getPort();
        registry.add("lakehouse.webui.collector-url", () -> throttling);
        registry.add("lakehouse.webui.ingest-url", () -> throttling);
        for (String backend : List.of("query", "versioning", "etl")) {
            registry.add("lakehouse.webui." + backend + "-url", () -> "http://127.0.0.1:" + DOWN_PORT);
        }
    }

    /** Answers every call as the collector or ingest answer a user who must wait. */
    private static HttpServer throttlingBackend() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                            + "\"detail\":\"Too many failed logins for this user or from this address: try again in "
                            + "150 s. Until then every login is refused, with the right password too.\","
                            + "\"retryAfterSeconds\":150}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Retry-After", "150");
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    exchange.sendResponseHeaders(429, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void stop() throws Exception {
        THROTTLING_BACKEND.stop(0);
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noJavaScriptErrors() {
        if (browser != null) {
            assertThat(browser.unexpectedConsoleErrors(EXPECTED_ERRORS)).isEmpty();
        }
    }

    private BrowserSession browser() throws IOException {
        assumeTrue(BrowserSession.available(), "needs Debian's chromium and chromium-driver");
        assumeTrue(getClass().getResource("/static/index.html") != null, "the front end was not built (-Dskip.npm)");
        if (browser == null) {
            browser = new BrowserSession("http://127.0.0.1:" + port);
        }
        return browser;
    }

    @Test
    void theWebUiAnswersAThrottledSignInWith429AndRetryAfterEvenForTheRightPassword() throws Exception {
        assertThat(me("vic", "guess-1").statusCode()).isEqualTo(401);
        assertThat(me("vic", "guess-2").statusCode()).isEqualTo(401);

        HttpResponse<String> throttled = me("vic", "vic-pw");
        assertThat(throttled.statusCode()).as(throttled.body()).isEqualTo(429);
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(140L, 150L);
        assertThat(throttled.body()).contains("\"retryAfterSeconds\":" + retryAfter);
        assertThat(throttled.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(me("alice", "alice-pw").statusCode()).as("other users may still sign in").isEqualTo(200);
    }

    @Test
    void theSignInFormCountsTheWaitDownInsteadOfAGenericError() throws Exception {
        BrowserSession browser = browser();
        browser.signOut();
        for (int i = 1; i <= 2; i++) {
            submit(browser, "rita", "guess-" + i);
            browser.waitForText(".login-error", "Wrong user name or password.");
            browser.waiting().until(d -> d.findElement(By.id("login-submit")).isEnabled());
        }

        submit(browser, "rita", "rita-pw");
        browser.waitForText(".login-error", "Too many failed sign-ins - try again in 2 min");
        long first = secondsShown(browser);
        assertThat(first).as("the Retry-After of the web-ui's 429").isBetween(140L, 150L);
        WebElement submit = browser.driver().findElement(By.id("login-submit"));
        assertThat(submit.isEnabled()).as("no sign-in until the wait is over").isFalse();
        assertThat(browser.driver().findElement(By.id("login-form")).getDomAttribute("class"))
                .contains("login-waiting");
        browser.screenshot(SCREENSHOTS, "login-wait");

        browser.waiting(Duration.ofSeconds(10)).until(d -> secondsShown(browser) <= first - 2);
        assertThat(browser.textContent(".login-error")).as("still counting down").matches(WAIT);
        assertThat(browser.driver().findElements(By.id("user-name"))).as("not signed in").isEmpty();
    }

    @Test
    void aPageRefusedWithAWaitSaysHowLongAndKeepsTheSession() throws Exception {
        BrowserSession browser = browser();
        browser.signIn("alice", "alice-pw");
        browser.driver().findElement(By.cssSelector(".nav-link[data-page=ingest]")).click();
        WebElement collector = browser.waitFor("#collector-stats .state-error");
        assertThat(collector.getText()).contains("429", "try again in 150 s");
        assertThat(browser.waitFor("#ingest-stats .state-error").getText()).contains("429", "try again in 150 s");
        assertThat(browser.driver().findElement(By.id("user-name")).getText()).as("a 429 does not sign out")
                .isEqualTo("alice");
    }

    private static void submit(BrowserSession browser, String user, String password) {
        WebElement name = browser.driver().findElement(By.id("login-user"));
        WebElement secret = browser.driver().findElement(By.id("login-password"));
        name.clear();
        name.sendKeys(user);
        secret.clear();
        secret.sendKeys(password);
        browser.driver().findElement(By.id("login-submit")).click();
    }

    private static long secondsShown(BrowserSession browser) {
        Matcher m = WAIT.matcher(browser.textContent(".login-error"));
        if (!m.matches()) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(m.group(1)) * 60 + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }

    private HttpResponse<String> me(String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/me"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
    }
}

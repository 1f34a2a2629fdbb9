package ch.cern.alice.lakehouse.scenario.browser;

import ch.cern.alice.lakehouse.scenario.stack.Await;
import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.webui.browser.BrowserSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.support.ui.Select;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Durable operational figures (issue #18) in headless Chromium with the REAL intake path: records posted to
 * collector-service go through Kafka to ingest-service, the Ingest page shows them received, accepted, rejected and
 * staged; collector and ingest are killed and started again, and the page shows the same totals (read back from
 * {@code ingest.figures}, not from the processes), which then grow with what the new processes receive.
 * The stack is {@link LakeStack}'s (shared with the other browser tests); only Kafka is this class's own.
 */
@ExtendWith(LakeStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DurableFiguresBrowserTest {

    /** A site only this class sends as: its staged jdl rows leave with it. */
    private static final String SITE = "FIGURES_T2";
    private static final String KEY = "figures-scenario-site-key";
    private static final long FIRST_JOB = 9_270_000_000L;
    /** ingest killed with -9: its group waits out the old member's session (45 s) before the new one consumes */
    private static final Duration SHOWN = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newHttpClient();
    private LakeStack stack;
    private EmbeddedKafkaKraftBroker kafka;
    private BrowserSession browser;

    @BeforeAll
    void prepare(LakeStack stack) throws Exception {
        assumeTrue(BrowserSession.available(), "needs Debian's chromium and chromium-driver");
        this.stack = stack;
        kafka = new EmbeddedKafkaKraftBroker(1, 2);
        kafka.afterPropertiesSet();
        stack.startIntakePath(kafka.getBrokersAsString(), SITE + ":{plain}" + KEY + ":jdl");
        browser = new BrowserSession(stack.webUiUrl());
    }

    @AfterAll
    void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.stopIntakePath();
            // the other scenarios count what is staged: this class's rows leave with it
            try (Connection c = stack.postgresConnection();
                 PreparedStatement delete = c.prepareStatement("DELETE FROM staging.records WHERE site = ?")) {
                delete.setString(1, SITE);
                delete.executeUpdate();
            }
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void theIngestPageShowsTheSameTotalsAfterCollectorAndIngestRestart() throws Exception {
        String accepted = post(jdl(FIRST_JOB, 20, true) + "," + jdl(FIRST_JOB + 100, 2, false));
        assertThat(accepted).contains("\"accepted\":20");

        browser.signIn(DemoUser.VIEWER.name(), DemoUser.VIEWER.password());
        Map<String, Long> before = totalsShown(Map.of("received", 22L, "accepted", 20L, "rejected", 2L,
                "staged", 20L, "staged new", 20L));
        assertThat(browser.textContent("#collector-stats")).contains(SITE).contains("survives restarts");

        stack.killAndRestartIntakePath();
        Map<String, Long> after = totalsShown(before);
        assertThat(after).isEqualTo(before);

        // the new processes add to the same figures
        post(jdl(FIRST_JOB + 200, 3, true));
        Map<String, Long> more = new LinkedHashMap<>(before);
        more.merge("received", 3L, Long::sum);
        more.merge("accepted", 3L, Long::sum);
        more.merge("staged", 3L, Long::sum);
        more.merge("staged new", 3L, Long::sum);
        totalsShown(more);
    }

    /**
     * With {@code -Dapi.snapshots=true}: docs/api/snapshot.sh re-takes the OpenAPI snapshots from this stack, where
     * all five API services run at once (only here: the other classes have no collector and ingest).
     */
    @Test
    void apiSnapshotsWhenAsked() throws Exception {
        assumeTrue(Boolean.getBoolean("api.snapshots"), "-Dapi.snapshots=true re-takes docs/api's snapshots");
        Path script = Path.of(System.getProperty("api.snapshot-script", "../docs/api/snapshot.sh"));
        ProcessBuilder snapshot = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        snapshot.environment().putAll(Map.of("COLLECTOR_PORT", port(stack.collectorUrl()),
                "INGEST_PORT", port(stack.ingestUrl()), "ETL_PORT", port(stack.etlUrl()),
                "QUERY_PORT", port(stack.queryUrl()), "VERSIONING_PORT", port(stack.versioningUrl())));
        Process process = snapshot.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).as(output).doesNotContain("skipped").contains("saved ingest-service.openapi.json");
    }

    private static String port(String url) {
        return String.valueOf(URI.create(url).getPort());
    }

    /** Opens the Ingest page at "in total" until its figure cards show {@code expected}; returns every card. */
    private Map<String, Long> totalsShown(Map<String, Long> expected) {
        browser.waitFor(".nav-link[data-page=schema]").click(); // away and back: the page loads anew
        browser.waitFor(".page[data-page=schema]");
        browser.waitFor(".nav-link[data-page=ingest]").click();
        browser.waitFor(".page[data-page=ingest]");
        new Select(browser.waitFor("#figures-window")).selectByValue("total");
        return Await.until("the Ingest page's totals " + expected, SHOWN, this::cards,
                shown -> expected.entrySet().stream().allMatch(e -> e.getValue().equals(shown.get(e.getKey()))));
    }

    /** The figure cards of the collector section (label -> number), read in one go (the page redraws every 5 s). */
    private Map<String, Long> cards() {
        Object pairs = browser.driver().executeScript("""
                return Array.from(document.querySelectorAll('#collector-stats .stat')).map(s =>
                  [s.querySelector('.stat-label').textContent, s.querySelector('.stat-value').textContent]);""");
        Map<String, Long> cards = new LinkedHashMap<>();
        for (Object pair : (List<?>) pairs) {
            List<?> p = (List<?>) pair;
            String digits = String.valueOf(p.get(1)).replaceAll("[^0-9]", "");
            if (!digits.isEmpty()) {
                cards.put(String.valueOf(p.get(0)).trim(), Long.parseLong(digits));
            }
        }
        return cards;
    }

    private String post(String records) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create(stack.collectorUrl() + "/api/v1/datasets/jdl/records"))
                .header("X-Api-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + records + "]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return answer.body().replace(" ", "");
    }

    /** jdl records of job ids {@code first..}; invalid ones lack the required jdl_text. */
    private static String jdl(long first, int count, boolean valid) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < count; i++) {
            records.append(i == 0 ? "" : ",").append("{\"job_id\":").append(first + i)
                    .append(",\"submit_timestamp\":").append(1_717_200_000L + i)
                    .append(valid ? ",\"jdl_text\":\"Executable = \\\"aliroot\\\"; User = \\\"aliprod\\\";\"" : "")
                    .append("}");
        }
        return records.toString();
    }
}

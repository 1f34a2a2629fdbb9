package ch.cern.alice.lakehouse.webui.browser;

import ch.cern.alice.lakehouse.webui.AbstractBackendsDownTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The built app in headless Chromium against the real web-ui server. No backend service runs: every proxied call
 * fails with the web-ui's 502 problem, so each page must show its error state; schema, autocomplete and Explore work
 * from the dataset descriptors served by web-ui itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest extends AbstractBackendsDownTest {
    /** Calls to the backends fail with 502 on purpose and a wrong password gets 401: Chrome logs those as errors. */
    private static final Pattern EXPECTED_ERRORS = Pattern.compile(
            "/api/v1/\\S* - Failed to load resource: the server responded with a status of 502"
                    + "|/api/me - Failed to load resource: the server responded with a status of 401");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("webui.screenshots.dir", "target/screenshots"));

    private BrowserSession browser;

    @BeforeAll
    void startBrowser() throws Exception {
        assumeTrue(BrowserSession.available(), "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        assumeTrue(getClass().getResource("/static/index.html") != null,
                "the front end was not built (-Dskip.npm)");
        browser = new BrowserSession("http://127.0.0.1:" + port);
    }

    @AfterAll
    void stopBrowser() throws Exception {
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

    @Test
    void signsInWithTheSharedUsersAndRejectsWrongPasswords() throws Exception {
        browser.signOut();
        browser.screenshot(SCREENSHOTS, "login");
        browser.driver().findElement(By.id("login-user")).sendKeys("rita");
        browser.driver().findElement(By.id("login-password")).sendKeys("wrong");
        browser.driver().findElement(By.id("login-submit")).click();
        browser.waitForText(".login-error", "Wrong user name or password.");

        browser.signIn("rita", "rita-pw");
        assertThat(browser.driver().findElement(By.id("user-name")).getText()).isEqualTo("rita");
        assertThat(browser.textContent(".user-box .badge")).isEqualTo("RESEARCHER");
        assertThat(navPages()).containsExactly("explore", "editor", "saved", "history", "schema", "versions", "etl",
                "ingest");
        browser.waitFor(".page[data-page=explore]");

        browser.driver().navigate().refresh();
        assertThat(browser.waitFor("#user-name").getText()).as("session survives a reload").isEqualTo("rita");

        browser.driver().findElement(By.id("logout")).click();
        browser.waitFor("#login-form");
    }

    @Test
    void viewersDoNotSeeAdHocSqlPages() {
        browser.signIn("vic", "vic-pw");
        browser.waitFor(".page[data-page=saved]");
        assertThat(navPages()).containsExactly("saved", "history", "schema", "versions", "etl", "ingest");
        browser.open("#/editor");
        browser.waitFor(".page[data-page=saved]");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/saved");
    }

    @Test
    void everyPageShowsItsStateWhenBackendsAreDown() throws Exception {
        browser.signIn("alice", "alice-pw");
        browser.waitFor(".page[data-page=explore]");

        visit("saved");
        assertThat(browser.waitFor(".page[data-page=saved] .state-error").getText())
                .contains("query-gateway is not reachable at http://127.0.0.1:" + DOWN_PORT);
        visit("history");
        assertThat(browser.waitFor(".page[data-page=history] .state-error").getText())
                .contains("query-gateway is not reachable");
        visit("schema");
        browser.waitFor(".table-list li[data-table=trace]");
        assertThat(browser.waitFor(".source-note").getText()).contains("live catalog is unavailable");
        browser.driver().findElement(By.cssSelector(".table-list li[data-table=job_info]")).click();
        browser.waitForText(".schema-detail h2", "lakehouse.job_info");
        browser.screenshot(SCREENSHOTS, "schema");
        visit("versions");
        assertThat(browser.waitFor("#branches .state-error").getText()).contains("versioning-service is not reachable");
        assertThat(browser.waitFor("#tags .state-error").getText()).contains("versioning-service is not reachable");
        browser.waitFor("#diff form");
        browser.screenshot(SCREENSHOTS, "versions");
        visit("etl");
        assertThat(browser.waitFor("#runs .state-error").getText()).contains("etl-service is not reachable");
        assertThat(browser.waitFor("#trigger-run").isDisplayed()).as("admins may start runs").isTrue();
        browser.screenshot(SCREENSHOTS, "etl");
        visit("ingest");
        // the received figures are the durable ones ingest-service keeps (issue #18)
        assertThat(browser.waitFor("#collector-stats .state-error").getText()).contains("ingest-service is not reachable");
        assertThat(browser.waitFor("#ingest-stats .state-error").getText()).contains("ingest-service is not reachable");
        assertThat(browser.waitFor("#dead-letters .state-error").getText())
                .as("admins see the dead letters section").contains("ingest-service is not reachable");
        browser.waitFor("#dl-filters");
        browser.screenshot(SCREENSHOTS, "ingest");
    }

    @Test
    void onlyAdminsSeeDeadLetters() {
        browser.signIn("rita", "rita-pw");
        visit("ingest");
        browser.waitFor("#ingest-stats .state-error");
        assertThat(browser.driver().findElements(By.id("dead-letters"))).isEmpty();
    }

    @Test
    void researchersCannotStartEtlRuns() {
        browser.signIn("rita", "rita-pw");
        visit("etl");
        browser.waitFor("#runs .state-error");
        assertThat(browser.driver().findElements(By.id("trigger-run"))).isEmpty();
    }

    @Test
    void exploreTurnsChoicesIntoSqlThatOpensInTheEditor() throws Exception {
        browser.signIn("rita", "rita-pw");
        visit("explore");
        new Select(browser.waitFor("#explore-dataset")).selectByValue("lakehouse.trace");
        new Select(browser.waitFor("#explore-metric")).selectByValue("avg");
        new Select(browser.waitFor("#explore-metric-column")).selectByValue("cpuefficiency");
        new Select(browser.waitFor("#explore-group")).selectByValue("site");
        addFilter("site", "=", "CERN");
        addFilter("requestedcpus", ">=", "8");
        WebElement limit = browser.driver().findElement(By.id("explore-limit"));
        limit.clear();
        limit.sendKeys("20");

        assertThat(browser.textContent("#explore-sql")).isEqualTo("""
                SELECT site, avg(cpuefficiency) AS avg_cpuefficiency
                FROM lakehouse.trace
                WHERE site = 'CERN'
                  AND requestedcpus >= 8
                GROUP BY site
                ORDER BY avg_cpuefficiency DESC
                LIMIT 20""");
        browser.screenshot(SCREENSHOTS, "explore");

        new Select(browser.driver().findElement(By.id("explore-metric"))).selectByValue("count");
        new Select(browser.driver().findElement(By.id("explore-group"))).selectByValue("day:finaltimestamp");
        assertThat(browser.textContent("#explore-sql")).isEqualTo("""
                SELECT date_trunc('day', finaltimestamp) AS day, count(*) AS row_count
                FROM lakehouse.trace
                WHERE site = 'CERN'
                  AND requestedcpus >= 8
                GROUP BY date_trunc('day', finaltimestamp)
                ORDER BY day
                LIMIT 20""");

        browser.driver().findElement(By.id("explore-run")).click();
        assertThat(browser.waitFor(".page[data-page=explore] .notice-error").getText())
                .contains("query-gateway is not reachable");

        browser.driver().findElement(By.id("explore-open-editor")).click();
        browser.waitFor(".page[data-page=editor] .cm-content");
        assertThat(browser.textContent(".cm-content")).contains("date_trunc('day', finaltimestamp) AS day");
    }

    @Test
    void sqlEditorCompletesTablesAndColumnsFromTheCatalog() throws Exception {
        browser.signIn("rita", "rita-pw");
        visit("editor");
        browser.waitFor(".schema-note[data-source=descriptors]");
        WebElement editor = browser.waitFor(".cm-content");
        editor.click();
        editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        editor.sendKeys("SELECT * FROM lakehouse.j");
        assertThat(browser.waitFor(".cm-tooltip-autocomplete").getText()).contains("job_info", "jdl");
        editor.sendKeys(Keys.ESCAPE);

        editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        editor.sendKeys("SELECT trace.cpu");
        browser.waitForText(".cm-tooltip-autocomplete", "cpuefficiency");
        assertThat(browser.textContent(".cm-tooltip-autocomplete")).contains("cputime");
        browser.screenshot(SCREENSHOTS, "editor");
        editor.sendKeys(Keys.ESCAPE);

        browser.driver().findElement(By.id("run-query")).click();
        assertThat(browser.waitFor(".results-area .notice-error").getText())
                .contains("502", "query-gateway is not reachable");
    }

    private void visit(String page) {
        browser.driver().findElement(By.cssSelector(".nav-link[data-page=" + page + "]")).click();
        browser.waitFor(".page[data-page=" + page + "]");
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".page .state-loading")));
    }

    private void addFilter(String column, String op, String value) {
        browser.driver().findElement(By.id("explore-add-filter")).click();
        List<WebElement> rows = browser.driver().findElements(By.cssSelector(".filter-row"));
        WebElement row = rows.get(rows.size() - 1);
        new Select(row.findElement(By.cssSelector("[data-filter=column]"))).selectByValue(column);
        new Select(row.findElement(By.cssSelector("[data-filter=op]"))).selectByValue(op);
        row.findElement(By.cssSelector("[data-filter=value]")).sendKeys(value);
    }

    private List<String> navPages() {
        return browser.driver().findElements(By.cssSelector(".nav-link")).stream()
                .map(a -> a.getDomAttribute("data-page")).toList();
    }
}

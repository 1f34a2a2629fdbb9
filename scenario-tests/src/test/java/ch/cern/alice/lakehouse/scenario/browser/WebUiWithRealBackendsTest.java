package ch.cern.alice.lakehouse.scenario.browser;

import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.webui.browser.BrowserSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI in headless Chromium against the real services of {@link LakeStack}: query-gateway on Trino over Delta
 * tables on S3Proxy, versioning-service and etl-service. Two versions of the trace table exist (a tag on the first);
 * every figure the browser shows is compared with what Trino itself answers for the same table version.
 */
@ExtendWith(LakeStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiWithRealBackendsTest {

    /** Enough jobs for the charts to show the grid's structure (site tiers, efficiencies, misbehaving sites). */
    private static final int FIRST_ROWS = 400;
    private static final int LATER_ROWS = 200;
    /** Every backend the pages here call is up: any failed request or script error is a bug. */
    private static final Pattern NOTHING_EXPECTED = Pattern.compile("(?!)");
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("webui.screenshots.dir", "../docs/screenshots"));
    private static final String SITE_COUNTS = "SELECT site, count(*) AS jobs FROM lakehouse.trace GROUP BY site ORDER BY site";
    /** Jobs per 10% of CPU efficiency: MC's peak near 90%, analysis spread over 30-70% (the simulator's activities). */
    private static final String EFFICIENCY_HISTOGRAM = "SELECT CAST(floor(cpuefficiency / 10) * 10 AS integer) "
            + "AS efficiency_pct, count(*) AS jobs FROM lakehouse.trace WHERE cpuefficiency > 0 GROUP BY 1 ORDER BY 1";

    private LakeStack stack;
    private TwoTraceVersions data;
    private BrowserSession browser;

    @BeforeAll
    void prepare(LakeStack stack) throws Exception {
        assumeTrue(BrowserSession.available(), "needs Debian's chromium and chromium-driver");
        this.stack = stack;
        data = TwoTraceVersions.prepare(stack, FIRST_ROWS, LATER_ROWS);
        browser = new BrowserSession(stack.webUiUrl());
    }

    @AfterAll
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        if (browser != null) {
            assertThat(browser.unexpectedConsoleErrors(NOTHING_EXPECTED)).isEmpty();
        }
    }

    @Test
    void editorRunsSqlAndShowsTheRowsAndAChart() throws Exception {
        signInAsResearcher();
        visit("editor");
        typeSql(SITE_COUNTS);
        chooseRef("main");
        WebElement result = runAndWait();

        List<List<String>> expected = trinoRows(siteCountsAt("main"));
        assertThat(gridRows(result)).isEqualTo(expected);
        assertThat(result.findElement(By.cssSelector(".pager")).getText())
                .contains("Rows 1–" + expected.size() + " of " + expected.size());
        browser.screenshot(SCREENSHOTS, "editor");

        result.findElement(By.cssSelector("[data-tab=chart]")).click();
        assertThat(new Select(result.findElement(By.cssSelector("[data-chart=x]"))).getFirstSelectedOption().getText())
                .isEqualTo("site");
        assertThat(new Select(result.findElement(By.cssSelector("[data-chart=y]"))).getFirstSelectedOption().getText())
                .isEqualTo("jobs");
        awaitChartDrawn(result);

        // the README's chart: how efficient the grid's jobs are (every column numeric: y chosen by hand)
        typeSql(EFFICIENCY_HISTOGRAM);
        WebElement histogram = runAndWait();
        assertThat(gridRows(histogram)).isEqualTo(trinoRows(EFFICIENCY_HISTOGRAM.replace("lakehouse.trace",
                "delta.lakehouse.trace FOR VERSION AS OF " + TwoTraceVersions.traceVersionAt(stack, "main"))));
        histogram.findElement(By.cssSelector("[data-tab=chart]")).click();
        assertThat(new Select(histogram.findElement(By.cssSelector("[data-chart=x]"))).getFirstSelectedOption()
                .getText()).isEqualTo("efficiency_pct");
        awaitChartDrawn(histogram);
        WebElement canvas = histogram.findElement(By.cssSelector(".chart-area canvas"));
        long drawnBefore = paintedPixels(canvas);
        new Select(histogram.findElement(By.cssSelector("[data-chart=y]"))).selectByVisibleText("jobs");
        browser.waiting().until(d -> paintedPixels(canvas) != drawnBefore);
        browser.screenshot(SCREENSHOTS, "editor-chart");
    }

    @Test
    void refPickerSwitchesBetweenTagCommitAndBranch() throws Exception {
        signInAsResearcher();
        visit("editor");
        typeSql("SELECT count(*) AS row_count FROM lakehouse.trace");

        chooseRef(data.tag());
        WebElement atTag = runAndWait();
        assertThat(atTag.findElement(By.cssSelector(".result-header")).getText()).contains("version " + data.tag());
        long tagged = singleNumber(atTag);

        chooseRef("main");
        long latest = singleNumber(runAndWait());

        chooseCommit(data.firstCommitId());
        WebElement atCommit = runAndWait();
        assertThat(atCommit.findElement(By.cssSelector(".result-header")).getText())
                .contains("version " + data.firstCommitId());
        long committed = singleNumber(atCommit);

        assertThat(latest - tagged).as("rows the second ETL run added").isEqualTo(data.rowsAddedAfterTag());
        assertThat(committed).as("the tag names the first commit").isEqualTo(tagged);
        assertThat(tagged).isEqualTo(trinoCount(TwoTraceVersions.traceVersionAt(stack, data.tag())));
        assertThat(latest).isEqualTo(trinoCount(TwoTraceVersions.traceVersionAt(stack, "main")));
    }

    @Test
    void exportsTheShownResultAsCsv() throws Exception {
        signInAsResearcher();
        visit("editor");
        typeSql(SITE_COUNTS);
        chooseRef("main");
        WebElement result = runAndWait();
        List<List<String>> shown = gridRows(result);
        String queryId = result.getDomAttribute("data-query-id");

        // headless Chromium has no save dialog: take the download path every browser without a file picker takes
        browser.driver().executeScript("delete window.showSaveFilePicker; window.showSaveFilePicker = undefined;");
        result.findElement(By.cssSelector("[data-export=csv]")).click();
        Path csv = browser.downloads().resolve("query-" + queryId + ".csv");
        browser.waiting(QUERY_TIMEOUT).until(d -> Files.isRegularFile(csv)
                && !Files.exists(browser.downloads().resolve(csv.getFileName() + ".crdownload")));

        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("site,jobs");
        assertThat(lines.subList(1, lines.size()).stream().map(line -> List.of(line.split(",", -1))).toList())
                .isEqualTo(shown);
    }

    @Test
    void exploreTurnsChoicesIntoSqlAndChartsTheAnswer() throws Exception {
        signInAsResearcher();
        visit("explore");
        new Select(browser.waitFor("#explore-dataset")).selectByValue("lakehouse.trace");
        new Select(browser.waitFor("#explore-metric")).selectByValue("avg");
        new Select(browser.waitFor("#explore-metric-column")).selectByValue("cpuefficiency");
        new Select(browser.waitFor("#explore-group")).selectByValue("site");
        new Select(browser.waitFor("#explore-chart")).selectByValue("bar");
        assertThat(browser.driver().findElements(By.cssSelector(".page[data-page=explore] .notice-info")))
                .as("columns come from the live catalog").isEmpty();
        assertThat(browser.textContent("#explore-sql")).isEqualTo("""
                SELECT site, avg(cpuefficiency) AS avg_cpuefficiency
                FROM lakehouse.trace
                GROUP BY site
                ORDER BY avg_cpuefficiency DESC
                LIMIT 50""");
        chooseRef("main");

        WebElement result = runAndWait("#explore-run");
        awaitChartDrawn(result);
        browser.screenshot(SCREENSHOTS, "explore");

        result.findElement(By.cssSelector("[data-tab=grid]")).click();
        List<List<String>> shown = gridRows(result);
        List<List<String>> expected = trinoRows("SELECT site, avg(cpuefficiency) FROM delta.lakehouse.trace FOR VERSION AS OF "
                + TwoTraceVersions.traceVersionAt(stack, "main") + " GROUP BY site ORDER BY 2 DESC");
        assertThat(shown).extracting(row -> row.get(0)).isEqualTo(expected.stream().map(row -> row.get(0)).toList());
        for (int i = 0; i < expected.size(); i++) {
            // the grid rounds to three decimals and groups thousands
            assertThat(Double.parseDouble(shown.get(i).get(1).replace(",", "")))
                    .isCloseTo(Double.parseDouble(expected.get(i).get(1)), offset(0.001));
        }
    }

    @Test
    void versionsEtlAndSchemaPagesShowTheLiveState() throws Exception {
        signInAsResearcher();
        visit("versions");
        WebElement tags = browser.waitFor("#tags table");
        assertThat(tags.getText()).contains(data.tag(), data.firstCommitId().substring(0, 12));
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#commit-log table")));
        List<String> commits = texts("#commit-log tbody tr");
        assertThat(commits).hasSizeGreaterThanOrEqualTo(2);
        assertThat(commits.get(0)).contains("trace@" + TwoTraceVersions.traceVersionAt(stack, "main"));
        browser.screenshot(SCREENSHOTS, "versions");

        visit("etl");
        browser.waitFor("#runs table");
        assertThat(texts("#runs tbody tr").stream().filter(r -> r.contains("trace") && r.contains("SUCCEEDED")))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.driver().findElements(By.id("trigger-run"))).as("only admins start runs").isEmpty();
        browser.screenshot(SCREENSHOTS, "etl");

        visit("schema");
        browser.waitFor(".table-list li[data-table=trace]").click();
        browser.waitForText(".schema-detail h2", "lakehouse.trace");
        assertThat(browser.driver().findElements(By.cssSelector(".source-note"))).as("live catalog").isEmpty();
        assertThat(browser.textContent(".schema-detail")).contains("cpuefficiency", "finaltimestamp");
        browser.screenshot(SCREENSHOTS, "schema");

        browser.signOut();
        browser.screenshot(SCREENSHOTS, "login");
    }

    // ---- user actions ---------------------------------------------------------------------------------------------

    private void signInAsResearcher() {
        browser.signIn(DemoUser.RESEARCHER.name(), DemoUser.RESEARCHER.password());
    }

    private void visit(String page) {
        browser.driver().findElement(By.cssSelector(".nav-link[data-page=" + page + "]")).click();
        browser.waitFor(".page[data-page=" + page + "]");
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".page .state-loading")));
    }

    private void typeSql(String sql) {
        WebElement editor = browser.waitFor(".cm-content");
        editor.click();
        editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        editor.sendKeys(sql);
        editor.sendKeys(Keys.ESCAPE); // closes an open completion list without accepting it
        assertThat(browser.textContent(".cm-content")).isEqualTo(sql);
    }

    /** Picks a branch or tag in the version picker: typed to filter, then clicked. */
    private void chooseRef(String ref) {
        new RefPickerInBrowser(browser).choose(ref);
    }

    /** A commit id is typed into the same picker. */
    private void chooseCommit(String commitId) {
        new RefPickerInBrowser(browser).choose(commitId);
    }

    private WebElement runAndWait() {
        return runAndWait("#run-query");
    }

    /** Runs, waits for the new result to finish and returns its section. */
    private WebElement runAndWait(String runButton) {
        List<WebElement> before = browser.driver().findElements(By.cssSelector(".results-area .result"));
        browser.driver().findElement(By.cssSelector(runButton)).click();
        if (!before.isEmpty()) {
            browser.waiting().until(ExpectedConditions.stalenessOf(before.get(0)));
        }
        WebElement result = browser.waiting(QUERY_TIMEOUT).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".results-area .result .result-toolbar, "
                    + ".results-area .result .state-error, .results-area .notice-error"));
            return found.isEmpty() ? null : found.get(0);
        });
        assertThat(result.getDomAttribute("class")).as(result.getText()).isEqualTo("result-toolbar");
        return browser.driver().findElement(By.cssSelector(".results-area .result"));
    }

    private void awaitChartDrawn(WebElement result) {
        WebElement canvas = browser.waitFor(".results-area .chart-area canvas");
        assertThat(result.findElement(By.cssSelector(".chart-area")).isDisplayed()).isTrue();
        browser.waiting().until(d -> paintedPixels(canvas) > 1000);
    }

    private long paintedPixels(WebElement canvas) {
        Object painted = browser.driver().executeScript("""
                const c = arguments[0];
                if (!c.width || !c.height) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                return n;""", canvas);
        return ((Number) painted).longValue();
    }

    // ---- what the browser shows -----------------------------------------------------------------------------------

    /** The grid's cells without the row-number column. */
    private List<List<String>> gridRows(WebElement result) {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement tr : result.findElements(By.cssSelector(".results-grid tbody tr"))) {
            List<WebElement> cells = tr.findElements(By.tagName("td"));
            rows.add(cells.subList(1, cells.size()).stream().map(WebElement::getText).toList());
        }
        return rows;
    }

    private long singleNumber(WebElement result) {
        List<List<String>> rows = gridRows(result);
        assertThat(rows).hasSize(1);
        return Long.parseLong(rows.get(0).get(0).replace(",", ""));
    }

    private List<String> texts(String css) {
        return browser.driver().findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    // ---- what Trino answers directly ------------------------------------------------------------------------------

    private String siteCountsAt(String ref) throws Exception {
        return "SELECT site, count(*) FROM delta.lakehouse.trace FOR VERSION AS OF "
                + TwoTraceVersions.traceVersionAt(stack, ref) + " GROUP BY site ORDER BY site";
    }

    private long trinoCount(long version) throws Exception {
        List<List<String>> rows = trinoRows("SELECT count(*) FROM delta.lakehouse.trace FOR VERSION AS OF " + version);
        return Long.parseLong(rows.get(0).get(0));
    }

    private List<List<String>> trinoRows(String sql) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = stack.trinoConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

}

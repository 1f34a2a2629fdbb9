package ch.cern.alice.lakehouse.scenario.browser;

import ch.cern.alice.lakehouse.scenario.stack.Await;
import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import ch.cern.alice.lakehouse.webui.browser.BrowserSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue #18 in headless Chromium against the real services: 1,000 branches of two users (researcher and admin, put
 * straight into versioning-service's tables: the API would only make the fixture slower) plus one real branch of the
 * researcher with a derived table written through query-gateway. The version picker shows main first without
 * scrolling, finds a branch by typing, "mine" shows only one's own; the branch's table is offered by Explore, the
 * Schema page and autocomplete only at that branch, with its row count there; the Versions page pages the branches.
 */
@ExtendWith(LakeStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefsAtScaleBrowserTest {

    private static final int BRANCHES = 1_000;
    private static final Pattern NOTHING_EXPECTED = Pattern.compile("(?!)");
    private static final Duration ETL_TIMEOUT = Duration.ofMinutes(8);

    private BrowserSession browser;
    private String study;
    private String studySchema;
    private long derivedRows;

    @BeforeAll
    void prepare(LakeStack stack) throws Exception {
        assumeTrue(BrowserSession.available(), "needs Debian's chromium and chromium-driver");
        ServiceClient versioning = new ServiceClient(stack.versioningUrl(), DemoUser.RESEARCHER);
        ServiceClient gateway = new ServiceClient(stack.queryUrl(), DemoUser.RESEARCHER);
        if (ok(versioning.get("/api/v1/versions/refs/main")).path("tables").path("trace").isMissingNode()) {
            stack.stageTrace(30);
            runTraceEtl(stack);
        }
        String suffix = Long.toString(System.currentTimeMillis(), 36);
        insertBranches(stack, ok(versioning.get("/api/v1/versions/refs/main")).path("commitId").asString(), suffix);

        study = "study-" + suffix;
        studySchema = "branch_study_" + suffix;
        assertThat(versioning.post("/api/v1/versions/branches", Map.of("name", study, "from", "main")).status())
                .isEqualTo(201);
        JsonNode ctas = finished(gateway, "CREATE TABLE site_jobs AS SELECT site, count(*) AS jobs FROM trace "
                + "GROUP BY site", study);
        derivedRows = ctas.get("rows").get(0).get(0).asLong();
        assertThat(derivedRows).isPositive();
        Await.until("the catalog at " + study, Duration.ofMinutes(2),
                () -> gateway.get("/api/v1/catalog?ref=" + study), r -> r.status() == 200 && r.body().contains("site_jobs"));
        browser = new BrowserSession(stack.webUiUrl());
    }

    @AfterAll
    void closeBrowserAndRemoveTheFixture(LakeStack stack) throws Exception {
        if (browser != null) {
            browser.close();
        }
        try (Connection c = stack.postgresConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM versioning.branch_moves WHERE branch LIKE 'scale-%'");
            st.executeUpdate("DELETE FROM versioning.branches WHERE name LIKE 'scale-%'");
        }
    }

    @AfterEach
    void noConsoleErrors() {
        if (browser != null) {
            assertThat(browser.unexpectedConsoleErrors(NOTHING_EXPECTED)).isEmpty();
        }
    }

    @Test
    void mainFirstWithoutScrollingThenTypingFindsABranchAndMineShowsOnlyOnesOwn() throws Exception {
        signIn(DemoUser.RESEARCHER);
        visit("explore");
        RefPickerInBrowser picker = new RefPickerInBrowser(browser);
        WebElement list = picker.open();
        browser.waiting().until(d -> picker.options().size() > 10);
        assertThat(browser.driver().findElements(By.cssSelector(".page .ref-options li")).get(0).getText())
                .startsWith("latest data");
        List<WebElement> options = picker.options();
        assertThat(options.get(0).getDomAttribute("data-ref")).isEqualTo("main");
        assertThat(visibleIn(options.get(0), list)).as("main is visible without scrolling").isTrue();
        // the researcher's own branch moved last: it leads the branches, before the 1,000 older ones
        int firstBranch = indexOfFirst(options, "branch", 1);
        assertThat(options.get(firstBranch).getDomAttribute("data-ref")).isEqualTo(study);
        assertThat(options.get(firstBranch).findElement(By.cssSelector(".ref-owner")).getText())
                .isEqualTo(DemoUser.RESEARCHER.name());
        assertThat(browser.textContent(".page .ref-more")).matches("Show more \\(50 of [0-9]{4,}\\)");
        browser.screenshot(java.nio.file.Path.of("target/screenshots"), "ref-picker-1000-branches");

        List<WebElement> found = picker.type("scale-a-" + "0777");
        assertThat(found).extracting(o -> o.getDomAttribute("data-ref")).containsExactly(name("a", 777));
        assertThat(found.get(0).findElement(By.cssSelector(".ref-owner")).getText()).isEqualTo("admin");

        picker.type("scale-");
        picker.mine(true);
        awaitOwnersOnly(DemoUser.RESEARCHER);
        assertThat(picker.options()).isNotEmpty().allSatisfy(o -> assertThat(
                o.findElement(By.cssSelector(".ref-owner")).getText()).isEqualTo(DemoUser.RESEARCHER.name()));
        picker.close();

        signIn(DemoUser.ADMIN);
        visit("explore");
        RefPickerInBrowser admins = new RefPickerInBrowser(browser);
        admins.open();
        admins.mine(true);
        awaitOwnersOnly(DemoUser.ADMIN);
        assertThat(admins.options()).isNotEmpty().allSatisfy(o -> assertThat(
                o.findElement(By.cssSelector(".ref-owner")).getText()).isEqualTo(DemoUser.ADMIN.name()));
        assertThat(admins.options()).extracting(o -> o.getDomAttribute("data-ref")).doesNotContain(study);
        admins.close();
    }

    @Test
    void aBranchTableIsOfferedOnlyAtItsBranchWithItsRowCount() {
        signIn(DemoUser.RESEARCHER);
        visit("explore");
        new RefPickerInBrowser(browser).choose("main");
        List<String> atMain = datasetValues();
        assertThat(atMain).as("lake datasets first, picked by default").first().asString().startsWith("lakehouse.");
        assertThat(new Select(browser.waitFor("#explore-dataset")).getFirstSelectedOption().getDomAttribute("value"))
                .startsWith("lakehouse.");
        assertThat(atMain).contains("lakehouse.trace").noneMatch(v -> v.startsWith("branch_"));

        new RefPickerInBrowser(browser).choose(study);
        browser.waiting().until(d -> datasetValues().contains(studySchema + ".site_jobs"));
        assertThat(datasetValues()).first().asString().startsWith("lakehouse.");
        new Select(browser.waitFor("#explore-dataset")).selectByValue(studySchema + ".site_jobs");
        new Select(browser.waitFor("#explore-group")).selectByValue(""); // one number: the table's row count
        browser.driver().findElement(By.id("explore-run")).click();
        WebElement grid = browser.waiting(Duration.ofMinutes(2)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".results-area .result .results-grid")));
        assertThat(grid.findElement(By.cssSelector("tbody td:nth-child(2)")).getText().replace(",", ""))
                .isEqualTo(Long.toString(derivedRows));

        visit("schema");
        new RefPickerInBrowser(browser).choose("main");
        browser.waitFor(".table-list li[data-table=trace]");
        assertThat(texts(".table-list .table-name")).noneMatch(t -> t.startsWith("branch_"));
        new RefPickerInBrowser(browser).choose(study);
        WebElement derived = browser.waitFor(".table-list li[data-table=site_jobs]");
        assertThat(derived.getText()).contains(studySchema + ".site_jobs", derivedRows + " rows");
        assertThat(texts(".table-list .table-name").get(0)).startsWith("lakehouse.");

        visit("editor");
        new RefPickerInBrowser(browser).choose("main");
        browser.waiting().until(ExpectedConditions.attributeToBe(By.cssSelector(".schema-note"), "data-ref", "main"));
        assertThat(browser.driver().findElement(By.cssSelector(".schema-note")).getDomAttribute("data-tables"))
                .contains("lakehouse.trace").doesNotContain(studySchema);
        new RefPickerInBrowser(browser).choose(study);
        browser.waiting().until(ExpectedConditions.attributeToBe(By.cssSelector(".schema-note"), "data-ref", study));
        assertThat(browser.driver().findElement(By.cssSelector(".schema-note")).getDomAttribute("data-tables"))
                .contains("lakehouse.trace", studySchema + ".site_jobs");
    }

    @Test
    void theVersionsPagePagesFiltersAndShowsOwners() {
        signIn(DemoUser.RESEARCHER);
        visit("versions");
        browser.waitFor("#branch-table table");
        assertThat(browser.waitFor("#branch-pager .pager-text").getText()).matches("1–20 of [0-9,]{5,}");
        assertThat(texts("#branch-table tbody tr")).hasSize(20);
        assertThat(texts("#branch-table tbody tr").get(0)).as("main first").startsWith("main ");
        assertThat(texts("#branch-table tbody tr").get(1)).contains(study, DemoUser.RESEARCHER.name());

        browser.driver().findElement(By.cssSelector("#branch-pager [data-page=next]")).click();
        browser.waitForText("#branch-pager .pager-text", "21–40 of");

        browser.driver().findElement(By.id("branch-filter")).sendKeys("scale-a-09");
        browser.waitForText("#branch-pager .pager-text", "1–20 of 50"); // a-0901, a-0903 ... a-0999
        assertThat(texts("#branch-table tbody tr")).allSatisfy(r -> assertThat(r).contains("scale-a-09", "admin"));

        browser.driver().findElement(By.id("branch-mine")).click();
        browser.waitFor("#branch-table .state-empty");
        browser.driver().findElement(By.id("branch-filter")).clear();
        browser.driver().findElement(By.id("branch-filter")).sendKeys("scale-");
        browser.waitForText("#branch-pager .pager-text", "of " + (BRANCHES / 2));
        assertThat(texts("#branch-table tbody tr")).allSatisfy(r -> assertThat(r).contains(DemoUser.RESEARCHER.name()));

        new RefPickerInBrowser(browser, "[data-picker=diff-from]").choose(study);
        new RefPickerInBrowser(browser, "[data-picker=diff-to]").choose("main");
        browser.driver().findElement(By.cssSelector("#diff button[type=submit]")).click();
        browser.waitForText("#diff", "site_jobs");
    }

    // ---- fixture ----------------------------------------------------------------------------------------------------

    private static String name(String owner, int i) {
        return String.format("scale-%s-%04d", owner, i);
    }

    /** Half the researcher's, half the admin's; all older than the real branch, one second apart. */
    private static void insertBranches(LakeStack stack, String head, String suffix) throws Exception {
        try (Connection c = stack.postgresConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement clear = c.prepareStatement(
                    "DELETE FROM versioning.branch_moves WHERE branch LIKE 'scale-%'");
                 PreparedStatement clearBranches = c.prepareStatement(
                         "DELETE FROM versioning.branches WHERE name LIKE 'scale-%'");
                 PreparedStatement branches = c.prepareStatement("""
                         INSERT INTO versioning.branches (name, head, created_by, created_at, updated_at)
                         SELECT format('scale-%s-%s', CASE WHEN i % 2 = 0 THEN 'r' ELSE 'a' END, lpad(i::text, 4, '0')),
                                ?, CASE WHEN i % 2 = 0 THEN ? ELSE ? END, now() - interval '2 days',
                                now() - interval '1 hour' - i * interval '1 second'
                         FROM generate_series(0, ? - 1) AS i""");
                 PreparedStatement moves = c.prepareStatement("""
                         INSERT INTO versioning.branch_moves (branch, commit_id, moved_at, moved_by, reason)
                         SELECT name, head, created_at, created_by, 'fixture of RefsAtScaleBrowserTest'
                         FROM versioning.branches WHERE name LIKE 'scale-%'""")) {
                clear.executeUpdate();
                clearBranches.executeUpdate();
                branches.setString(1, head);
                branches.setString(2, DemoUser.RESEARCHER.name());
                branches.setString(3, DemoUser.ADMIN.name());
                branches.setInt(4, BRANCHES);
                assertThat(branches.executeUpdate()).isEqualTo(BRANCHES);
                moves.executeUpdate();
            }
            c.commit();
        }
    }

    private static void runTraceEtl(LakeStack stack) {
        ServiceClient etl = new ServiceClient(stack.etlUrl(), DemoUser.ADMIN);
        long id = ok(etl.post("/api/v1/etl/runs", Map.of("dataset", "trace"))).get(0).path("id").asLong();
        JsonNode run = Await.until("ETL run " + id, ETL_TIMEOUT, () -> ok(etl.get("/api/v1/etl/runs/" + id)),
                r -> !r.path("status").asString("").matches("QUEUED|RUNNING"));
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    }

    private static JsonNode finished(ServiceClient gateway, String sql, String ref) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sql", sql);
        body.put("ref", ref);
        String id = ok(gateway.post("/api/v1/queries", body)).get("id").asString();
        JsonNode done = Await.until("query " + id, Duration.ofMinutes(3), () -> ok(gateway.get("/api/v1/queries/" + id)),
                q -> !Set.of("QUEUED", "RUNNING").contains(q.get("status").asString()));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
        return done;
    }

    private static JsonNode ok(ServiceClient.Response response) {
        assertThat(response.status()).as(response.toString()).isLessThan(300);
        return response.json();
    }

    // ---- browser ----------------------------------------------------------------------------------------------------

    private void signIn(DemoUser user) {
        browser.signIn(user.name(), user.password());
    }

    private void visit(String page) {
        browser.driver().findElement(By.cssSelector(".nav-link[data-page=" + page + "]")).click();
        browser.waitFor(".page[data-page=" + page + "]");
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".page .state-loading")));
    }

    /** The Dataset picker's values, read at once (the form is rebuilt when the version changes). */
    @SuppressWarnings("unchecked")
    private List<String> datasetValues() {
        browser.waitFor("#explore-dataset");
        return (List<String>) browser.driver().executeScript(
                "return [...document.querySelectorAll('#explore-dataset option')].map(o => o.value);");
    }

    /** Waits until the picker's list holds only refs of {@code owner} (the "mine" page has arrived). */
    private void awaitOwnersOnly(DemoUser owner) {
        browser.waiting().until(d -> {
            Object owners = browser.driver().executeScript("return [...document.querySelectorAll("
                    + "'.page .ref-picker li.ref-option .ref-owner')].map(o => o.textContent);");
            return owners instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(owner.name()::equals);
        });
    }

    private List<String> texts(String css) {
        return browser.driver().findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static int indexOfFirst(List<WebElement> options, String kind, int from) {
        for (int i = from; i < options.size(); i++) {
            if (kind.equals(options.get(i).getDomAttribute("data-kind"))) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " in the list");
    }

    /** Whether the element lies inside the scroll box's visible part (no scrolling needed to see it). */
    private boolean visibleIn(WebElement element, WebElement box) {
        Object inside = browser.driver().executeScript("""
                const e = arguments[0].getBoundingClientRect(), b = arguments[1].getBoundingClientRect();
                return e.height > 0 && e.top >= b.top && e.bottom <= b.bottom && e.bottom <= window.innerHeight;""",
                element, box);
        return Boolean.TRUE.equals(inside);
    }
}

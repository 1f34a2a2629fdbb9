package ch.cern.alice.lakehouse.scenario.browser;

import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.webui.browser.BrowserSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The freshness panel (issue #18) in headless Chromium against the real etl-service of {@link LakeStack}: job_info
 * rows that have waited two hours in staging make job_info stand out as stale on Explore, Schema and ETL, with the
 * number of waiting rows etl-service counts in staging.
 */
@ExtendWith(LakeStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshnessPanelBrowserTest {

    /** The Ingest page is not visited: nothing but the pages' own backends is called. */
    private static final Pattern NOTHING_EXPECTED = Pattern.compile("(?!)");

    private LakeStack stack;
    private BrowserSession browser;
    /** Staged job_info ids up to here are other test classes'; this class's rows come after and leave with it. */
    private long idsBefore;

    @BeforeAll
    void prepare(LakeStack stack) throws Exception {
        assumeTrue(BrowserSession.available(), "needs Debian's chromium and chromium-driver");
        this.stack = stack;
        try (Connection c = stack.postgresConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM staging.records_job_info")) {
                rs.next();
                idsBefore = rs.getLong(1);
            }
            stack.stageJobInfo(9_180_000_000L, 7);
            // as if they had been received two hours ago and no ETL run had taken them since
            s.executeUpdate("UPDATE staging.records_job_info SET received_at = now() - interval '2 hours' "
                    + "WHERE id > " + idsBefore);
        }
        browser = new BrowserSession(stack.webUiUrl());
    }

    @AfterAll
    void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            // the other scenarios count the job_info rows they stage and migrate: these must not join them
            try (Connection c = stack.postgresConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM staging.records_job_info WHERE id > " + idsBefore);
            }
        }
    }

    @Test
    void aStaleDatasetStandsOutOnExploreSchemaAndEtl() {
        browser.signIn(DemoUser.RESEARCHER.name(), DemoUser.RESEARCHER.password());
        long waiting = stack.stagedRows("job_info");
        for (String page : new String[]{"explore", "schema", "etl"}) {
            browser.driver().findElement(By.cssSelector(".nav-link[data-page=" + page + "]")).click();
            browser.waitFor(".page[data-page=" + page + "]");
            WebElement row = browser.waitFor("#freshness-panel tr[data-dataset=job_info]");
            assertThat(row.getDomAttribute("class")).as(page).contains("row-stale");
            assertThat(row.getText()).as(page).contains("stale");
            assertThat(row.getText().replaceAll("[,\\u202f\\u00a0]", "")).as(page).contains(String.valueOf(waiting));
            assertThat(browser.waitFor("#freshness-stale").getText()).contains("job_info").contains("rows waiting");
            assertThat(browser.waitFor("#freshness-panel tr[data-dataset=trace]").getText()).isNotBlank();
        }
        assertThat(browser.unexpectedConsoleErrors(NOTHING_EXPECTED)).isEmpty();
    }
}

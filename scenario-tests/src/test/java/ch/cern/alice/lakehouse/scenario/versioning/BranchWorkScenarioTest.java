package ch.cern.alice.lakehouse.scenario.versioning;

import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue #5, branch work: a researcher derives a table from ETL-written data on their branch through query-gateway
 * (CREATE TABLE AS, INSERT, DELETE, DROP TABLE, re-create), each write pinned by a commit on the branch; reads at the branch,
 * at a tag and after a merge see the pinned versions; writes anywhere else are refused before anything is written.
 * Over HTTP against the real services, Spark ETL, S3Proxy and Trino. The steps build on each other.
 */
@ExtendWith(LakeStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BranchWorkScenarioTest {

    private static final int TRACE_ROWS = 120;
    private static final String BRANCH = "exp-1";
    private static final String SCHEMA = "branch_exp_1";
    private static final String TAG = "exp-1-first-eff";

    private ServiceClient versioningAsAdmin;
    private ServiceClient versioningAsResearcher;
    private GatewayQueries asResearcher;
    private GatewayQueries asViewer;
    private GatewayQueries asAdmin;
    private GatewayQueries throughWebUi;
    private EtlRuns etlRuns;
    private Path bucket;

    private String jobIds;
    private long traceVersion;
    private long derivedRows;
    private String insertCommitId;

    @BeforeAll
    void clients(LakeStack stack) {
        versioningAsAdmin = new ServiceClient(stack.versioningUrl(), DemoUser.ADMIN);
        versioningAsResearcher = versioningAsAdmin.as(DemoUser.RESEARCHER);
        ServiceClient gateway = new ServiceClient(stack.queryUrl(), DemoUser.RESEARCHER);
        asResearcher = new GatewayQueries(gateway);
        asViewer = new GatewayQueries(gateway.as(DemoUser.VIEWER));
        asAdmin = new GatewayQueries(gateway.as(DemoUser.ADMIN));
        throughWebUi = new GatewayQueries(new ServiceClient(stack.webUiUrl(), DemoUser.RESEARCHER));
        etlRuns = new EtlRuns(new ServiceClient(stack.etlUrl(), DemoUser.ADMIN), versioningAsAdmin);
        bucket = stack.s3BucketDir();
    }

    @Test
    @Order(1)
    void anEtlRunOfTraceAndAResearchersBranch(LakeStack stack) {
        LakeStack.StagedBatch batch = stack.stageTrace(TRACE_ROWS);
        // only this scenario's rows: other test classes of the JVM may have loaded trace rows too
        jobIds = "job_id BETWEEN " + batch.firstJobId() + " AND " + (batch.firstJobId() + TRACE_ROWS - 1);
        traceVersion = etlRuns.runToMain("trace").get("deltaVersion").asLong();

        ServiceClient.Response branch = versioningAsResearcher.post("/api/v1/versions/branches",
                Map.of("name", BRANCH, "from", "main"));
        assertThat(branch.status()).as(branch.toString()).isEqualTo(201);
        ServiceClient.Response adminsBranch = versioningAsAdmin.post("/api/v1/versions/branches",
                Map.of("name", "admins-study", "from", "main"));
        assertThat(adminsBranch.status()).as(adminsBranch.toString()).isEqualTo(201);
    }

    @Test
    @Order(2)
    void createTableAsOnTheBranchIsPinnedByACommitOnIt() {
        String mainBefore = head("main");
        JsonNode ctas = asResearcher.finished("CREATE TABLE eff AS SELECT site, count(*) AS jobs, "
                + "sum(cputime) AS cputime FROM trace WHERE " + jobIds + " GROUP BY site", BRANCH);
        assertThat(ctas.get("executedSql").asString())
                .contains("CREATE TABLE delta." + SCHEMA + ".eff", "location = 's3://lakehouse/" + SCHEMA + "/eff'",
                        "trace FOR VERSION AS OF " + traceVersion);
        String commitId = ctas.get("commitId").asString();
        JsonNode row = ctas.get("rows").get(0);
        derivedRows = row.get(0).asLong();
        assertThat(derivedRows).as(ctas.toString()).isPositive();
        assertThat(row.get(1).asString()).isEqualTo(SCHEMA + ".eff");
        assertThat(row.get(2).asLong()).as("Delta version of the new table").isZero();
        assertThat(row.get(4).asString()).isEqualTo(commitId);

        JsonNode commit = versioningAsResearcher.get("/api/v1/versions/commits/" + commitId).json();
        assertThat(head(BRANCH)).isEqualTo(commitId);
        assertThat(commit.get("tables").get(SCHEMA + ".eff").asLong()).isZero();
        assertThat(commit.get("tables").get("trace").asLong()).isEqualTo(traceVersion);
        assertThat(commit.get("author").asString()).isEqualTo(DemoUser.RESEARCHER.name());
        assertThat(commit.get("message").asString()).startsWith("CREATE TABLE AS " + SCHEMA + ".eff (query ");
        assertThat(commit.get("properties").get("queryId").asString()).isEqualTo(ctas.get("id").asString());
        assertThat(commit.get("properties").get("source").asString()).isEqualTo("query-gateway");
        assertThat(head("main")).as("main does not move").isEqualTo(mainBefore);
    }

    @Test
    @Order(3)
    void theBranchReadsTheDerivedRowsWhichMatchTheSameAggregateAtMain() {
        JsonNode derived = asResearcher.finished("SELECT site, jobs, cputime FROM eff ORDER BY site", BRANCH);
        assertThat(derived.get("executedSql").asString())
                .contains("delta." + SCHEMA + ".eff FOR VERSION AS OF 0");
        JsonNode atMain = asResearcher.finished("SELECT site, count(*) AS jobs, sum(cputime) AS cputime FROM trace "
                + "WHERE " + jobIds + " GROUP BY site ORDER BY site", "main");
        assertThat(rows(derived)).hasSize((int) derivedRows).isEqualTo(rows(atMain));
        assertThat(asResearcher.count("SELECT count(*) FROM " + SCHEMA + ".eff", BRANCH)).isEqualTo(derivedRows);

        ServiceClient.Response atMainQualified = asResearcher.submit("SELECT * FROM " + SCHEMA + ".eff", "main");
        assertThat(atMainQualified.status()).as(atMainQualified.toString()).isEqualTo(400);
        assertThat(atMainQualified.json().get("detail").asString()).contains("is not part of this ref");
    }

    @Test
    @Order(4)
    void insertAddsAVersionWhileATagKeepsTheFirstOne() {
        ServiceClient.Response tag = versioningAsResearcher.post("/api/v1/versions/tags",
                Map.of("name", TAG, "ref", BRANCH, "message", "eff as first derived"));
        assertThat(tag.status()).as(tag.toString()).isEqualTo(201);

        // through the web UI's proxy, as the SQL editor with exp-1 in its ref picker sends it
        JsonNode insert = throughWebUi.finished("INSERT INTO eff SELECT site, jobs, cputime FROM eff", BRANCH);
        assertThat(insert.get("rows").get(0).get(0).asLong()).isEqualTo(derivedRows);
        assertThat(insert.get("rows").get(0).get(2).asLong()).isEqualTo(1);
        insertCommitId = insert.get("commitId").asString();
        JsonNode commit = versioningAsResearcher.get("/api/v1/versions/commits/" + insertCommitId).json();
        assertThat(commit.get("tables").get(SCHEMA + ".eff").asLong()).isEqualTo(1);
        assertThat(commit.get("message").asString()).startsWith("INSERT " + SCHEMA + ".eff");

        assertThat(asResearcher.count("SELECT count(*) FROM eff", BRANCH)).isEqualTo(2 * derivedRows);
        assertThat(asResearcher.count("SELECT count(*) FROM eff", TAG)).isEqualTo(derivedRows);

        // issue #12: an export runs its statement again, so a write is never exported - and nothing runs
        assertRefused(asResearcher.export(insert.get("id").asString()), 409, "only reads can be exported");
        assertThat(head(BRANCH)).as("no commit").isEqualTo(insertCommitId);
        assertThat(asResearcher.count("SELECT count(*) FROM eff", BRANCH)).isEqualTo(2 * derivedRows);
        assertThat(Files.exists(bucket.resolve(SCHEMA + "/eff/_delta_log/00000000000000000002.json")))
                .as("no Delta version 2").isFalse();
        JsonNode atTag = asResearcher.finished("SELECT site, jobs FROM eff ORDER BY site", TAG);
        ServiceClient.Response exported = asResearcher.export(atTag.get("id").asString());
        assertThat(exported.status()).as(exported.toString()).isEqualTo(200);
        List<String> shown = new ArrayList<>(List.of("site,jobs"));
        atTag.get("rows").forEach(r -> shown.add(r.get(0).asString() + "," + r.get(1).asLong()));
        assertThat(exported.body().lines().toList()).as("the export of a read at a tag is its result")
                .isEqualTo(shown).hasSize((int) derivedRows + 1);
    }

    @Test
    @Order(5)
    void theDiffFromMainShowsTheDerivedTableAdded() {
        ServiceClient.Response diff = versioningAsResearcher.get("/api/v1/versions/diff?from=main&to=" + BRANCH);
        assertThat(diff.status()).as(diff.toString()).isEqualTo(200);
        JsonNode tables = diff.json().get("tables");
        assertThat(tables).as(diff.toString()).hasSize(1);
        JsonNode eff = tables.get(0);
        assertThat(eff.get("table").asString()).isEqualTo(SCHEMA + ".eff");
        assertThat(eff.get("status").asString()).isEqualTo("ADDED");
        assertThat(eff.get("toVersion").asLong()).isEqualTo(1);
        assertThat(eff.get("rowsAdded").asLong()).as(diff.toString()).isEqualTo(2 * derivedRows);
        assertThat(eff.get("operations").toString()).contains("CREATE TABLE AS SELECT", "WRITE");
        assertThat(eff.get("complete").asBoolean()).as(diff.toString()).isTrue();
    }

    @Test
    @Order(6)
    void deleteAndARevertedBranchThatRefusesToBuildOnTheNewerVersion() {
        String site = asResearcher.finished("SELECT min(site) FROM eff", BRANCH).get("rows").get(0).get(0)
                .asString();
        long siteRows = asResearcher.count("SELECT count(*) FROM eff WHERE site = '" + site + "'", BRANCH);
        assertThat(siteRows).isEqualTo(2); // one derived row, inserted twice

        JsonNode delete = asResearcher.finished("DELETE FROM eff WHERE site = '" + site + "'", BRANCH);
        assertThat(delete.get("rows").get(0).get(0).asLong()).isEqualTo(siteRows);
        assertThat(delete.get("rows").get(0).get(2).asLong()).isEqualTo(2);
        assertThat(asResearcher.count("SELECT count(*) FROM eff", BRANCH)).isEqualTo(2 * derivedRows - siteRows);
        ServiceClient.Response diff = versioningAsResearcher.get("/api/v1/versions/diff?from=" + insertCommitId
                + "&to=" + BRANCH);
        JsonNode eff = diff.json().get("tables").get(0);
        assertThat(eff.get("status").asString()).as(diff.toString()).isEqualTo("CHANGED");
        assertThat(eff.get("rowsAdded").asLong() - eff.get("rowsRemoved").asLong()).as(diff.toString())
                .isEqualTo(-siteRows);
        assertThat(eff.get("complete").asBoolean()).as(diff.toString()).isTrue();

        // the branch goes back to version 1 while the Delta table stays at version 2
        ServiceClient.Response revert = versioningAsResearcher.post("/api/v1/versions/commits/"
                + delete.get("commitId").asString() + "/revert", Map.of("branch", BRANCH));
        assertThat(revert.status()).as(revert.toString()).isEqualTo(201);
        assertThat(asResearcher.count("SELECT count(*) FROM eff", BRANCH)).isEqualTo(2 * derivedRows);
        assertRefused(asResearcher.submit("INSERT INTO eff SELECT site, jobs, cputime FROM eff", BRANCH), 409,
                "pins version 1 of " + SCHEMA + ".eff but the Delta table is at version 2");
    }

    @Test
    @Order(7)
    void writesAnywhereElseAreRefusedBeforeAnythingIsWritten() {
        String branchHead = head(BRANCH);
        String ctas = "CREATE TABLE nope AS SELECT site FROM trace WHERE " + jobIds;

        assertRefused(asViewer.submit(ctas, BRANCH), 403, "");
        assertRefused(asResearcher.submit(ctas, "admins-study"), 403, "belongs to admin");
        assertRefused(asResearcher.submit(ctas, "main"), 403, "ETL runs");
        assertRefused(asResearcher.submit(ctas, TAG), 400, "is a tag");
        assertRefused(asResearcher.submit(ctas, "v:0"), 400, "Delta version or time");
        assertRefused(asResearcher.submit(ctas, null), 400, "only on a branch they created");
        assertRefused(asResearcher.submit("CREATE TABLE lakehouse.nope AS SELECT 1 AS a", BRANCH), 403,
                "written by ETL runs only");
        assertRefused(asResearcher.submit("INSERT INTO trace SELECT * FROM trace", BRANCH), 403,
                "written by ETL runs only");
        assertRefused(asResearcher.submit("CREATE TABLE trace AS SELECT 1 AS a", BRANCH), 400,
                "name of a lake table");
        assertRefused(asResearcher.submit("CREATE TABLE eff AS SELECT 1 AS a", BRANCH), 409, "already on branch");
        assertRefused(asResearcher.submit("ALTER TABLE eff ADD COLUMN x int", BRANCH), 400, "not allowed");

        assertThat(head(BRANCH)).as("no commit").isEqualTo(branchHead);
        assertThat(bucket.resolve(SCHEMA).resolve("nope")).as("no table written").doesNotExist();
        assertThat(bucket.resolve("branch_admins_study")).as("no schema created").doesNotExist();
        assertThat(bucket.resolve("nope")).doesNotExist();
        assertThat(asResearcher.count("SELECT count(*) FROM eff", BRANCH)).isEqualTo(2 * derivedRows);
    }

    @Test
    @Order(8)
    void dropTableRemovesTheTableFromTheBranchButTheTagStillReadsIt() {
        JsonNode drop = asResearcher.finished("DROP TABLE eff", BRANCH);
        assertThat(drop.get("executedSql").isNull()).as("nothing runs in Trino").isTrue();
        JsonNode commit = versioningAsResearcher.get("/api/v1/versions/commits/" + drop.get("commitId")
                .asString()).json();
        assertThat(commit.get("tables").has(SCHEMA + ".eff")).as(commit.toString()).isFalse();
        assertThat(commit.get("tables").get("trace").asLong()).isEqualTo(traceVersion);

        assertRefused(asResearcher.submit("SELECT count(*) FROM " + SCHEMA + ".eff", BRANCH), 400,
                "is not part of this ref");
        // unqualified: the lake's eff, which the branch does not pin either (issue #12: never read unpinned)
        assertRefused(asResearcher.submit("SELECT count(*) FROM eff", BRANCH), 400, "eff is not part of this ref");

        assertThat(asResearcher.count("SELECT count(*) FROM eff", TAG)).isEqualTo(derivedRows);
        assertThat(Files.exists(bucket.resolve(SCHEMA + "/eff/_delta_log/00000000000000000001.json"))).isTrue();
    }

    @Test
    @Order(9)
    void aTableCreatedAgainAfterADropIsANewVersionOfTheSameDeltaTable() {
        JsonNode ctas = asResearcher.finished("CREATE TABLE eff AS SELECT site, count(*) AS jobs FROM trace WHERE "
                + jobIds + " GROUP BY site", BRANCH);
        assertThat(ctas.get("executedSql").asString()).startsWith("CREATE OR REPLACE TABLE delta." + SCHEMA + ".eff");
        assertThat(ctas.get("rows").get(0).get(2).asLong()).as("after versions 0, 1 and 2").isEqualTo(3);
        assertThat(asResearcher.count("SELECT count(*) FROM eff", BRANCH)).isEqualTo(derivedRows);
        assertThat(asResearcher.finished("SELECT * FROM eff", BRANCH).get("columns")).hasSize(2);
        assertThat(asResearcher.finished("SELECT * FROM eff", TAG).get("columns")).as("the tag: version 0")
                .hasSize(3);
        assertThat(asResearcher.count("SELECT count(*) FROM eff", TAG)).isEqualTo(derivedRows);
    }

    @Test
    @Order(10)
    void mergingTheBranchIntoANewBranchFromMainBringsTheDerivedTable() {
        assertThat(versioningAsResearcher.post("/api/v1/versions/branches",
                Map.of("name", "exp-1-review", "from", "main")).status()).isEqualTo(201);
        ServiceClient.Response merge = versioningAsResearcher.post("/api/v1/versions/merge",
                Map.of("source", BRANCH, "target", "exp-1-review", "message", "take the derived table"));
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        assertThat(merge.json().get("outcome").asString()).isEqualTo("FAST_FORWARD");

        JsonNode read = asResearcher.finished("SELECT count(*) FROM eff", "exp-1-review");
        assertThat(read.get("rows").get(0).get(0).asLong()).isEqualTo(derivedRows);
        assertThat(read.get("executedSql").asString()).contains("delta." + SCHEMA + ".eff FOR VERSION AS OF 3");
        // the merged branch's own schema is branch_exp_1_review: writing eff there is a new table, not exp-1's
        assertRefused(asResearcher.submit("INSERT INTO eff SELECT site, jobs FROM eff", "exp-1-review"), 400,
                "not on branch 'exp-1-review'");
    }

    @Test
    @Order(11)
    void anAdminWritesOnAResearchersBranchAsThemselves() {
        JsonNode ctas = asAdmin.finished("CREATE TABLE admin_check AS SELECT count(*) AS n FROM trace WHERE "
                + jobIds, BRANCH);
        JsonNode commit = versioningAsAdmin.get("/api/v1/versions/commits/" + ctas.get("commitId").asString())
                .json();
        assertThat(commit.get("author").asString()).isEqualTo(DemoUser.ADMIN.name());
        assertThat(commit.get("tables").get(SCHEMA + ".admin_check").asLong()).isZero();
        assertThat(asResearcher.count("SELECT n FROM admin_check", BRANCH)).isEqualTo(TRACE_ROWS);
    }

    @Test
    @Order(12)
    void aResearchersOwnJdbcToolWritesOnTheBranchThroughTheGatewaysTrinoProtocol(LakeStack stack) throws Exception {
        String mainBefore = head("main");
        String branchBefore = head(BRANCH);
        Properties login = new Properties();
        login.setProperty("user", DemoUser.RESEARCHER.name());
        login.setProperty("password", DemoUser.RESEARCHER.password());
        login.setProperty("SSL", "true");
        login.setProperty("SSLTrustStorePath", stack.protocolCertificate().toString());
        login.setProperty("source", "dbeaver-like");
        try (Connection c = DriverManager.getConnection(stack.protocolJdbcUrl() + "/delta/lakehouse", login);
             Statement st = c.createStatement()) {
            st.execute("SET SESSION ref = '" + BRANCH + "'");
            st.execute("CREATE TABLE tool_eff AS SELECT site, count(*) AS jobs FROM trace WHERE " + jobIds
                    + " GROUP BY site");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM tool_eff")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("read back in the same session, at the branch").isEqualTo(derivedRows);
            }
            st.execute("RESET SESSION ref");
            assertThatThrownBy(() -> st.execute("CREATE TABLE lakehouse.tool_nope AS SELECT 1 AS a"))
                    .as("a write outside a branch is refused through the protocol as through REST")
                    .isInstanceOf(SQLException.class);
        }
        String commitId = head(BRANCH);
        assertThat(commitId).as("the write is pinned by a new commit on the branch").isNotEqualTo(branchBefore);
        JsonNode commit = versioningAsResearcher.get("/api/v1/versions/commits/" + commitId).json();
        assertThat(commit.get("author").asString()).isEqualTo(DemoUser.RESEARCHER.name());
        assertThat(commit.get("tables").get(SCHEMA + ".tool_eff").asLong()).isZero();
        assertThat(commit.get("message").asString()).startsWith("CREATE TABLE AS " + SCHEMA + ".tool_eff");
        assertThat(asResearcher.count("SELECT count(*) FROM tool_eff", BRANCH)).isEqualTo(derivedRows);
        assertThat(head("main")).as("main does not move").isEqualTo(mainBefore);
    }

    private String head(String branch) {
        return versioningAsResearcher.get("/api/v1/versions/refs/" + branch).json().get("commitId").asString();
    }

    private static void assertRefused(ServiceClient.Response response, int status, String detail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        if (!detail.isEmpty()) {
            assertThat(response.json().path("detail").asString("")).as(response.toString()).contains(detail);
        }
    }

    private static List<List<String>> rows(JsonNode query) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : query.get("rows")) {
            List<String> values = new ArrayList<>();
            row.forEach(v -> values.add(v.asString()));
            rows.add(values);
        }
        return rows;
    }
}

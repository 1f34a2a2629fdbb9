package ch.cern.alice.lakehouse.scenario.security;

import ch.cern.alice.lakehouse.scenario.stack.Await;
import ch.cern.alice.lakehouse.scenario.stack.DemoUser;
import ch.cern.alice.lakehouse.scenario.stack.LakeStack;
import ch.cern.alice.lakehouse.scenario.stack.LakeStackExtension;
import ch.cern.alice.lakehouse.scenario.stack.ServiceClient;
import ch.cern.alice.lakehouse.trino.TrinoProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue #13's attacks against the running stack, layer by layer (engine, gateway, database): each must be refused,
 * and the allowed path next to it must still work. Every caller here is 127.0.0.1, so the stack raises the
 * per-address failure limit (LakeStack) and this suite guesses passwords per user; service-support's own tests prove
 * the per-address throttle.
 */
@ExtendWith(LakeStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityScenarioTest {

    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(3);

    private LakeStack stack;
    private ServiceClient gatewayAsResearcher;

    @BeforeAll
    void lakeWithData(LakeStack stack) {
        this.stack = stack;
        gatewayAsResearcher = new ServiceClient(stack.queryUrl(), DemoUser.RESEARCHER);
        ServiceClient etl = new ServiceClient(stack.etlUrl(), DemoUser.ADMIN);
        stack.stageTrace(20);
        ServiceClient.Response accepted = etl.post("/api/v1/etl/runs", Map.of("dataset", "trace"));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        long runId = accepted.json().get(0).get("id").asLong();
        JsonNode run = Await.until("ETL run " + runId, Duration.ofMinutes(8),
                () -> etl.get("/api/v1/etl/runs/" + runId).json(),
                r -> Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(r.get("status").asString()));
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    }

    // ---- the engine: Trino's own port ---------------------------------------------------------------------------

    @Test
    void trinoRefusesCallersWithoutTheRightPassword() {
        TrinoProcess trino = stack.trino();
        Properties noPassword = trino.jdbcProperties(trino.gateway());
        noPassword.remove("password");
        assertThatThrownBy(() -> selectOnce(noPassword, "SELECT 1"))
                .isInstanceOf(SQLException.class);
        Properties wrong = trino.jdbcProperties(new TrinoProcess.Credentials(trino.gateway().user(), "guess"));
        assertThatThrownBy(() -> selectOnce(wrong, "SELECT 1"))
                .isInstanceOf(SQLException.class);
        Properties plainHttp = trino.jdbcProperties(trino.gateway());
        plainHttp.setProperty("SSL", "false");
        assertThatThrownBy(() -> selectOnce(plainHttp, "SELECT 1"))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void aResearcherInTheEngineReadsTheLakeButCannotWriteItReadOthersSqlOrCallProcedures() throws Exception {
        TrinoProcess trino = stack.trino();
        try (Connection asResearcher = DriverManager.getConnection(trino.jdbcUrl(),
                trino.jdbcProperties(trino.gateway(), DemoUser.RESEARCHER.name()))) {
            assertThat(select(asResearcher, "SELECT current_user")).isEqualTo(DemoUser.RESEARCHER.name());
            assertThat(Long.parseLong(select(asResearcher, "SELECT count(*) FROM delta.lakehouse.trace")))
                    .isPositive();
            assertThat(select(asResearcher, "SELECT count(*) FROM delta.information_schema.tables "
                    + "WHERE table_schema = 'lakehouse' AND table_name = 'trace'")).isEqualTo("1");
            assertThat(select(asResearcher, "SELECT count(*) FROM system.jdbc.tables WHERE table_cat = 'delta' "
                    + "AND table_schem = 'lakehouse' AND table_name = 'trace'")).isEqualTo("1");
            for (String attack : new String[] {
                    "DELETE FROM delta.lakehouse.trace",
                    "INSERT INTO delta.lakehouse.trace (job_id) VALUES (1)",
                    "CREATE SCHEMA delta.mine",
                    "SELECT query FROM system.runtime.queries",
                    "CALL delta.system.vacuum('lakehouse', 'trace', '0s')"}) {
                assertThatThrownBy(() -> select(asResearcher, attack)).as(attack)
                        .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
            }
        }
    }

    @Test
    void nobodyMayImpersonateTheGatewaysOwnPrincipal() {
        TrinoProcess trino = stack.trino();
        assertThatThrownBy(() -> selectOnce(trino.jdbcProperties(trino.admin(), trino.gateway().user()), "SELECT 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
    }

    // ---- the gateway --------------------------------------------------------------------------------------------

    @Test
    void throughTheGatewayAResearcherCannotReadOtherUsersSqlNorWriteTheLake() {
        JsonNode runtime = ended(gatewayAsResearcher, "SELECT query FROM system.runtime.queries", null);
        assertThat(runtime.get("status").asString()).as(runtime.toString()).isNotEqualTo("FINISHED");
        ServiceClient.Response delete = submit(gatewayAsResearcher, "DELETE FROM trace", "main");
        assertThat(delete.status()).as(delete.toString()).isIn(400, 403);
        JsonNode read = ended(gatewayAsResearcher, "SELECT count(*) FROM trace", "main");
        assertThat(read.get("status").asString()).as(read.toString()).isEqualTo("FINISHED");
    }

    @Test
    void aResearcherCannotChangeOrDeleteTheAdminsSavedQueryButMayReadAndRunIt() {
        ServiceClient gatewayAsAdmin = gatewayAsResearcher.as(DemoUser.ADMIN);
        Map<String, Object> query = Map.of("name", "admins-efficiency", "description", "by the admin",
                "sql", "SELECT count(*) FROM trace");
        ServiceClient.Response created = gatewayAsAdmin.post("/api/v1/saved-queries", query);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        String path = "/api/v1/saved-queries/" + id;

        ServiceClient.Response put = gatewayAsResearcher.put(path, Map.of("name", "hijacked",
                "description", "", "sql", "SELECT 1"));
        assertThat(put.status()).as(put.toString()).isEqualTo(403);
        ServiceClient.Response delete = gatewayAsResearcher.delete(path);
        assertThat(delete.status()).as(delete.toString()).isEqualTo(403);
        ServiceClient.Response read = gatewayAsResearcher.get(path);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("sql").asString()).isEqualTo("SELECT count(*) FROM trace");
        ServiceClient.Response run = gatewayAsResearcher.post(path + "/run", Map.of("ref", "main"));
        assertThat(run.status()).as(run.toString()).isEqualTo(202);
        assertThat(gatewayAsAdmin.delete(path).status()).isIn(200, 204);
    }

    @Test
    void aCsvExportCannotCarryASpreadsheetFormula() {
        JsonNode done = ended(gatewayAsResearcher, "SELECT '=HYPERLINK(\"http://evil\")' AS cell, -2 AS n", null);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
        String id = done.get("id").asString();
        ServiceClient.Response csv = gatewayAsResearcher.get("/api/v1/queries/" + id + "/export?format=csv");
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.body()).contains("'=HYPERLINK").contains("-2").doesNotContain("'-2");
        ServiceClient.Response raw = gatewayAsResearcher.get("/api/v1/queries/" + id
                + "/export?format=csv&csvFormulaEscape=false");
        assertThat(raw.body()).doesNotContain("'=HYPERLINK");
    }

    @Test
    void theGatewayRunsEachQueryAsItsCallerInTheEngine() {
        JsonNode whoAmI = ended(gatewayAsResearcher, "SELECT current_user", null);
        assertThat(whoAmI.get("status").asString()).as(whoAmI.toString()).isEqualTo("FINISHED");
        assertThat(whoAmI.get("rows").get(0).get(0).asString()).isEqualTo(DemoUser.RESEARCHER.name());
    }

    @Test
    void wideRowsStopAtTheResultSizeCapAndTheGatewayKeepsServing() {
        // 300 rows of 5,000,000 characters (1.5 GB) through a gateway with a 512 MB heap and the default 64 MB cap:
        // each row is estimated at about 10 MB (UTF-16), so six are kept
        JsonNode wide = ended(gatewayAsResearcher,
                "SELECT n, lpad('', 5000000, 'x') AS wide FROM UNNEST(sequence(1, 300)) AS t(n)", null);
        assertThat(wide.get("status").asString()).as(wide.path("error").toString()).isEqualTo("FINISHED");
        assertThat(wide.get("truncated").asBoolean()).isTrue();
        assertThat(wide.get("truncatedReason").asString()).contains("QUERY_MAX_RESULT_BYTES", "first 6 rows");
        assertThat(wide.get("rowCount").asInt()).isEqualTo(6);
        assertThat(wide.get("rows").get(0).get(1).asString()).hasSize(5_000_000);

        JsonNode after = ended(gatewayAsResearcher, "SELECT count(*) FROM trace", "main");
        assertThat(after.get("status").asString()).as(after.toString()).isEqualTo("FINISHED");
    }

    @Test
    void wrongPasswordsAndMissingLoginsAreRefusedByEveryService() {
        DemoUser impostor = new DemoUser(DemoUser.RESEARCHER.name(), "not-the-password", "researcher");
        for (String url : new String[] {stack.queryUrl(), stack.versioningUrl(), stack.etlUrl()}) {
            ServiceClient.Response wrong = new ServiceClient(url, impostor).get("/api/v1/queries");
            assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
        }
        ServiceClient.Response viewerStartsEtl = new ServiceClient(stack.etlUrl(), DemoUser.VIEWER)
                .post("/api/v1/etl/runs", Map.of("dataset", "trace"));
        assertThat(viewerStartsEtl.status()).as(viewerStartsEtl.toString()).isEqualTo(403);
    }

    @Test
    void guessingAPasswordIsThrottledAndTheRightPasswordWaitsToo() {
        DemoUser mallory = new DemoUser("mallory", "guess", "researcher");
        ServiceClient guesser = new ServiceClient(stack.versioningUrl(), mallory);
        int[] statuses = new int[7];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = guesser.get("/api/v1/versions/branches").status();
        }
        assertThat(statuses).startsWith(401, 401, 401, 401, 401).endsWith(429, 429);
        ServiceClient.Response allowed = new ServiceClient(stack.versioningUrl(), DemoUser.RESEARCHER)
                .get("/api/v1/versions/branches");
        assertThat(allowed.status()).as("another user is not held up").isEqualTo(200);
    }

    // ---- the database: each service's own role --------------------------------------------------------------------

    @Test
    void eachServiceRoleReachesOnlyItsOwnData() throws Exception {
        try (Connection gatewayRole = stack.postgresConnectionAs("query-gateway")) {
            assertThatThrownBy(() -> select(gatewayRole, "SELECT count(*) FROM staging.records"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> select(gatewayRole, "SELECT count(*) FROM etl.runs"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
        try (Connection etlRole = stack.postgresConnectionAs("etl-service")) {
            assertThat(Long.parseLong(select(etlRole, "SELECT count(*) FROM staging.records"))).isNotNegative();
            assertThatThrownBy(() -> select(etlRole, "DROP TABLE staging.records"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> select(etlRole, "INSERT INTO staging.records (dataset, dedup_key, site, "
                    + "received_at, payload) VALUES ('trace', 'x', 'CERN', now(), '{}')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
        try (Connection versioningRole = stack.postgresConnectionAs("versioning-service")) {
            assertThatThrownBy(() -> select(versioningRole, "SELECT count(*) FROM staging.records"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Opens a Trino connection with these properties, runs one statement and closes it again. */
    private String selectOnce(Properties login, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.trino().jdbcUrl(), login)) {
            return select(connection, sql);
        }
    }

    /** Runs a statement and returns the first column of its first row (null for none). */
    private static String select(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            if (!st.execute(sql)) {
                return null;
            }
            try (ResultSet rs = st.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static ServiceClient.Response submit(ServiceClient gateway, String sql, String ref) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sql", sql);
        body.put("ref", ref);
        return gateway.post("/api/v1/queries", body);
    }

    /** Submits and waits for the end; a statement refused at submission comes back as its problem detail. */
    private static JsonNode ended(ServiceClient gateway, String sql, String ref) {
        ServiceClient.Response submitted = submit(gateway, sql, ref);
        if (submitted.status() != 202) {
            return JsonNodeFactory.instance.objectNode().put("status", "REFUSED " + submitted.status())
                    .put("answer", submitted.body());
        }
        String id = submitted.json().get("id").asString();
        return Await.until("query " + id, QUERY_TIMEOUT, () -> gateway.get("/api/v1/queries/" + id).json(),
                q -> !Set.of("QUEUED", "RUNNING").contains(q.get("status").asString())
                        && !q.path("finishedAt").isNull() && !q.path("finishedAt").isMissingNode());
    }
}

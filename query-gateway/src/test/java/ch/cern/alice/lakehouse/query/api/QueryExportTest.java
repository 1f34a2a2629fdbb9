package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.testsupport.EndlessQuery;
import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exports on real Trino over Delta on S3Proxy, with small limits in their own context: an export returns exactly the
 * result of a query at a ref (the same pinned SQL), only reads are exported (a write answers 409 and runs nothing:
 * the table's rows and Delta version stay), an export counts against the caller's concurrent-query limit (1 here)
 * and holds at most {@code query.export-max-rows} (5 here) rows. Own table {@value #SCHEMA}.events: version 1 has
 * 3 rows, version 2 has 7.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lakehouse.trino.schema=" + QueryExportTest.SCHEMA, "query.export-max-rows=5",
        "query.max-concurrent-per-user=1"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryExportTest {

    static final String SCHEMA = "export_test";
    private static final String EVENTS = "delta." + SCHEMA + ".events";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    @BeforeAll
    static void events() throws SQLException {
        try (Connection c = TestLake.get().trinoConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + "delta." + SCHEMA);
            st.execute("CREATE TABLE " + EVENTS + " (id BIGINT, site VARCHAR) WITH (location = 's3://"
                    + TestLake.BUCKET + "/" + SCHEMA + "/events')");
            st.execute("INSERT INTO " + EVENTS + " VALUES (1, 'CERN'), (2, 'FZK'), (3, 'CNAF')");
            st.execute("INSERT INTO " + EVENTS + " VALUES (4, 'CERN'), (5, 'GSI'), (6, 'FZK'), (7, 'CERN')");
        }
    }

    GatewayClient researcher() {
        return new GatewayClient(port, "researcher", "r-pw");
    }

    GatewayClient admin() {
        return new GatewayClient(port, "admin", "a-pw");
    }

    @Test
    @Order(1)
    void theExportOfAReadAtARefIsExactlyItsResult() {
        JsonNode atV1 = finished(researcher(), "SELECT id, site FROM events ORDER BY id", "v:1", 1);
        assertThat(atV1.get("truncated").asBoolean()).as("one row kept of three").isTrue();
        GatewayClient.Response csv = researcher().get("/api/v1/queries/" + atV1.get("id").asString()
                + "/export?format=csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.body().lines().toList()).containsExactly("id,site", "1,CERN", "2,FZK", "3,CNAF");

        JsonNode shown = finished(researcher(), "SELECT site, count(*) AS n FROM events GROUP BY site ORDER BY site",
                "v:1", null);
        List<String> shownLines = new ArrayList<>(List.of("site,n"));
        shown.get("rows").forEach(row -> shownLines.add(row.get(0).asString() + "," + row.get(1).asLong()));
        GatewayClient.Response exported = researcher().get("/api/v1/queries/" + shown.get("id").asString()
                + "/export");
        assertThat(exported.status()).isEqualTo(200);
        assertThat(exported.body().lines().toList()).isEqualTo(shownLines).hasSize(4);
    }

    @Test
    @Order(2)
    void anExportOfMoreRowsThanTheCapIsRefusedWithNothingSent() {
        JsonNode all = finished(researcher(), "SELECT id FROM events", null, null);
        assertThat(all.get("rowCount").asInt()).isEqualTo(7);
        GatewayClient.Response tooMany = researcher().get("/api/v1/queries/" + all.get("id").asString() + "/export");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.json().get("detail").asString()).contains("more than 5 rows", "QUERY_EXPORT_MAX_ROWS");
        GatewayClient.Response parquet = researcher().get("/api/v1/queries/" + all.get("id").asString()
                + "/export?format=parquet");
        assertThat(parquet.status()).isEqualTo(422);

        JsonNode five = finished(researcher(), "SELECT id FROM events ORDER BY id LIMIT 5", null, null);
        GatewayClient.Response atTheCap = researcher().get("/api/v1/queries/" + five.get("id").asString()
                + "/export");
        assertThat(atTheCap.status()).isEqualTo(200);
        assertThat(atTheCap.body().lines().toList()).containsExactly("id", "1", "2", "3", "4", "5");
    }

    @Test
    @Order(3)
    void aWriteIsNeverExportedAndNothingRunsAgain() throws SQLException {
        JsonNode insert = finished(admin(), "INSERT INTO events VALUES (100, 'KISTI')", null, null);
        long rows = count();
        long version = latestVersion();
        assertThat(rows).isEqualTo(8);
        for (String format : List.of("csv", "parquet")) {
            GatewayClient.Response export = admin().get("/api/v1/queries/" + insert.get("id").asString()
                    + "/export?format=" + format);
            assertThat(export.status()).as(export.body()).isEqualTo(409);
            assertThat(export.json().get("detail").asString()).contains("is a write", "only reads can be exported");
        }
        assertThat(count()).as("the INSERT did not run again").isEqualTo(rows);
        assertThat(latestVersion()).as("no new Delta version").isEqualTo(version);

        JsonNode delete = finished(admin(), "DELETE FROM events WHERE id = 100", null, null);
        long afterDelete = latestVersion();
        assertThat(admin().get("/api/v1/queries/" + delete.get("id").asString() + "/export").status())
                .isEqualTo(409);
        assertThat(count()).isEqualTo(7);
        assertThat(latestVersion()).isEqualTo(afterDelete);
    }

    @Test
    @Order(4)
    void anExportCountsAgainstTheCallersConcurrentQueryLimit() {
        JsonNode read = finished(researcher(), "SELECT id FROM events ORDER BY id LIMIT 2", null, null);
        GatewayClient.Response endless = researcher().post("/api/v1/queries", Map.of("sql", EndlessQuery.SQL));
        assertThat(endless.status()).isEqualTo(202);
        String endlessId = endless.json().get("id").asString();
        researcher().awaitQuery(endlessId, Duration.ofSeconds(60), q -> q.get("status").asString().equals("RUNNING"));

        GatewayClient.Response refused = researcher().get("/api/v1/queries/" + read.get("id").asString() + "/export");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("detail").asString()).contains("limit 1");
        assertThat(admin().get("/api/v1/queries/" + read.get("id").asString() + "/export").status())
                .as("the limit is the caller's: an admin exporting it has slots").isEqualTo(200);

        assertThat(researcher().delete("/api/v1/queries/" + endlessId).status()).isEqualTo(202);
        researcher().awaitDone(endlessId);
        GatewayClient.Response afterCancel = researcher().get("/api/v1/queries/" + read.get("id").asString()
                + "/export");
        assertThat(afterCancel.status()).isEqualTo(200);
        assertThat(afterCancel.body().lines().toList()).containsExactly("id", "1", "2");
        assertThat(finished(researcher(), "SELECT 1", null, null).get("status").asString())
                .as("the export gave its slot back").isEqualTo("FINISHED");
    }

    private static JsonNode finished(GatewayClient client, String sql, String ref, Integer maxRows) {
        Map<String, Object> body = new HashMap<>();
        body.put("sql", sql);
        body.put("ref", ref);
        body.put("maxRows", maxRows);
        GatewayClient.Response submitted = client.post("/api/v1/queries", body);
        assertThat(submitted.status()).as(sql + " -> " + submitted.body()).isEqualTo(202);
        JsonNode done = client.awaitDone(submitted.json().get("id").asString());
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
        return done;
    }

    private static long count() throws SQLException {
        return single("SELECT count(*) FROM " + EVENTS);
    }

    private static long latestVersion() throws SQLException {
        return single("SELECT max(version) FROM delta." + SCHEMA + ".\"events$history\"");
    }

    private static long single(String sql) throws SQLException {
        try (Connection c = TestLake.get().trinoConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}

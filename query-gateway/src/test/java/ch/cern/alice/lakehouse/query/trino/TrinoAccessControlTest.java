package ch.cern.alice.lakehouse.query.trino;

import ch.cern.alice.lakehouse.query.config.TrinoProperties;
import ch.cern.alice.lakehouse.query.testsupport.EndlessQuery;
import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import ch.cern.alice.lakehouse.trino.TrinoProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trino's own defences (issue #13), on the real Trino 476 every test of this module shares: HTTPS only, every client
 * logs in, the file access control of deploy/trino/etc/rules.json and the resource groups. Users reach Trino only
 * through the gateway, which logs in as its principal and runs each statement as the user (JDBC sessionUser); these
 * tests do what the gateway does, and what an attacker holding one of the credentials could do, directly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrinoAccessControlTest {

    private static final String PROBE = "delta.lakehouse.acl_probe";
    /** Outside the bucket's top level: the gateway's catalog refresh never sees it. */
    private static final String PROBE_LOCATION = "s3://" + TestLake.BUCKET + "/access-test/acl_probe";
    private static final String BRANCH = "branch_acl_test";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    @BeforeAll
    static void probeTable() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS delta.lakehouse");
            st.execute("DROP TABLE IF EXISTS " + PROBE);
            st.execute("CREATE TABLE " + PROBE + " WITH (location = '" + PROBE_LOCATION + "') AS "
                    + "SELECT * FROM (VALUES (1, 'CERN'), (2, 'FZK'), (3, 'CNAF')) AS t(job_id, site)");
        }
    }

    private static TrinoProcess trino() {
        return TestLake.get().trino();
    }

    private static Connection connect(Properties properties) throws SQLException {
        return DriverManager.getConnection(trino().jdbcUrl(), properties);
    }

    private static Connection admin() throws SQLException {
        return connect(trino().jdbcProperties(trino().admin()));
    }

    /** What the gateway opens for a user's statement. */
    private static Connection asUser(String user) throws SQLException {
        return connect(trino().jdbcProperties(trino().gateway(), user));
    }

    /** What the gateway opens for its own maintenance. */
    private static Connection gatewayItself() throws SQLException {
        return connect(trino().jdbcProperties(trino().gateway()));
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void assertDenied(Connection c, String sql) {
        assertThatThrownBy(() -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
    }

    // ---- who gets in ------------------------------------------------------------------------------------------------

    @Test
    void noPasswordAWrongPasswordAndAnUnverifiedServerAreRefused() throws Exception {
        Properties noPassword = trino().jdbcProperties(trino().admin());
        noPassword.remove("password");
        assertThatThrownBy(() -> connect(noPassword).createStatement().execute("SELECT 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("Unauthorized");

        Properties wrong = trino().jdbcProperties(new TrinoProcess.Credentials("admin", "not-the-password"));
        assertThatThrownBy(() -> connect(wrong).createStatement().execute("SELECT 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("Invalid credentials");

        Properties unknownUser = trino().jdbcProperties(new TrinoProcess.Credentials("researcher", "r-pw"));
        assertThatThrownBy(() -> connect(unknownUser).createStatement().execute("SELECT 1"))
                .as("lakehouse users have no Trino login: they go through the gateway")
                .isInstanceOf(SQLException.class).hasMessageContaining("Invalid credentials");

        Properties unverified = trino().jdbcProperties(trino().admin());
        unverified.remove("SSLTrustStorePath");
        assertThatThrownBy(() -> connect(unverified).createStatement().execute("SELECT 1"))
                .as("the certificate is verified: without Trino's certificate the client does not trust it")
                .isInstanceOf(SQLException.class);

        HttpClient https = HttpClient.newBuilder().sslContext(trusting()).build();
        HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(trino().url().resolve("/v1/statement"))
                .header("X-Trino-User", "admin").POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("a statement without a login").isEqualTo(401);

        try (Connection c = admin()) {
            assertThat(column(c, "SELECT current_user")).containsExactly("admin");
        }
    }

    @Test
    void plainHttpIsOffAndOnlyTheLoopbackAddressListens() throws Exception {
        URI plain = URI.create("http://127.0.0.1:" + trino().port() + "/v1/info");
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
                HttpResponse.BodyHandlers.ofString())).as("plain HTTP on the HTTPS port").isInstanceOf(IOException.class);

        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address)
                        .forEach(others::add);
            }
        }
        for (InetAddress address : others) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, trino().port()), 2000))
                        .as("Trino on " + address).isInstanceOfAny(ConnectException.class,
                                SocketTimeoutException.class);
            }
        }
    }

    // ---- what a researcher may do -------------------------------------------------------------------------------------

    @Test
    void aResearcherReadsTheLakeAsThemselvesButCannotWriteIt() throws SQLException {
        try (Connection r = asUser("researcher")) {
            assertThat(column(r, "SELECT current_user")).containsExactly("researcher");
            assertThat(column(r, "SELECT count(*) FROM " + PROBE)).containsExactly("3");
            assertThat(column(r, "SELECT count(*) FROM " + PROBE + " FOR VERSION AS OF 0")).containsExactly("3");
            assertThat(column(r, "SELECT max(version) FROM delta.lakehouse.\"acl_probe$history\""))
                    .containsExactly("0");

            assertDenied(r, "DELETE FROM " + PROBE + " WHERE job_id = 1");
            assertDenied(r, "INSERT INTO " + PROBE + " VALUES (4, 'GSI')");
            assertDenied(r, "UPDATE " + PROBE + " SET site = 'X'");
            assertDenied(r, "DROP TABLE " + PROBE);
            assertDenied(r, "CREATE TABLE delta.lakehouse.mine WITH (location = 's3://" + TestLake.BUCKET
                    + "/access-test/mine') AS SELECT 1 AS x");
            assertDenied(r, "CREATE SCHEMA delta.mine");
            assertDenied(r, "CREATE SCHEMA delta.branch_mine");
            assertDenied(r, "ALTER TABLE " + PROBE + " ADD COLUMN note varchar");
        }
        try (Connection c = admin()) {
            assertThat(column(c, "SELECT count(*) FROM " + PROBE)).as("nothing written").containsExactly("3");
        }
    }

    @Test
    void aResearcherSeesNoOneElsesQueriesAndCallsNoProcedure() throws SQLException {
        try (Connection r = asUser("researcher")) {
            assertDenied(r, "SELECT query FROM system.runtime.queries");
            assertDenied(r, "SELECT count(*) FROM system.runtime.nodes");
            assertDenied(r, "CALL delta.system.vacuum('lakehouse', 'acl_probe', '7d')");
            assertDenied(r, "CALL delta.system.register_table(schema_name => 'lakehouse', table_name => 'stolen', "
                    + "table_location => '" + PROBE_LOCATION + "')");
            assertDenied(r, "CALL delta.system.unregister_table(schema_name => 'lakehouse', table_name => 'acl_probe')");
            assertDenied(r, "CALL delta.system.flush_metadata_cache()");
            assertDenied(r, "CALL system.runtime.kill_query(query_id => '20250101_000000_00000_aaaaa')");
            assertDenied(r, "SET SESSION query_max_memory = '100GB'");
            assertDenied(r, "SET SESSION resource_overcommit = true");
            assertDenied(r, "SELECT count(*) FROM TABLE(delta.system.table_changes('lakehouse', 'acl_probe', 0))");
        }
    }

    @Test
    void jdbcToolsStillReadTheMetadata() throws SQLException {
        try (Connection r = asUser("researcher")) {
            assertThat(column(r, "SELECT table_name FROM delta.information_schema.tables "
                    + "WHERE table_schema = 'lakehouse'")).contains("acl_probe");
            assertThat(column(r, "SELECT table_name FROM system.jdbc.tables WHERE table_cat = 'delta' "
                    + "AND table_schem = 'lakehouse'")).contains("acl_probe");
            assertThat(column(r, "SELECT column_name FROM delta.information_schema.columns "
                    + "WHERE table_schema = 'lakehouse' AND table_name = 'acl_probe'"))
                    .containsExactlyInAnyOrder("job_id", "site");
            DatabaseMetaData metadata = r.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = metadata.getTables("delta", "lakehouse", "acl%", null)) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).containsExactly("acl_probe");
            assertThat(column(r, "SHOW CATALOGS")).contains("delta", "system");
        }
    }

    @Test
    void aResearcherWritesBranchTablesInTheSchemaTheGatewayCreated() throws SQLException {
        String table = "delta." + BRANCH + ".derived";
        try (Connection g = gatewayItself(); Statement st = g.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS delta." + BRANCH + " WITH (location = 's3://" + TestLake.BUCKET
                    + "/" + BRANCH + "')");
        }
        try (Connection r = asUser("researcher"); Statement st = r.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " WITH (location = 's3://" + TestLake.BUCKET + "/" + BRANCH
                    + "/derived') AS SELECT job_id, site FROM " + PROBE + " WHERE job_id < 3");
            st.execute("INSERT INTO " + table + " VALUES (42, 'GSI')");
            st.execute("DELETE FROM " + table + " WHERE job_id = 1");
            assertThat(column(r, "SELECT count(*) FROM " + table)).containsExactly("2");
            st.execute("DROP TABLE " + table);
            assertDenied(r, "DROP SCHEMA delta." + BRANCH);
        }
        try (Connection v = asUser("viewer")) {
            assertThat(column(v, "SELECT count(*) FROM " + PROBE)).containsExactly("3");
            assertDenied(v, "CREATE TABLE " + table + " WITH (location = 's3://" + TestLake.BUCKET + "/" + BRANCH
                    + "/viewer') AS SELECT 1 AS x");
        }
    }

    // ---- who may be whom ------------------------------------------------------------------------------------------

    @Test
    void onlyTheGatewayImpersonatesAndNeverIntoAServicePrincipalNorAnUnknownUser() throws SQLException {
        try (Connection c = asUser("etl")) {
            assertThatThrownBy(() -> column(c, "SELECT 1")).hasMessageContaining("cannot impersonate user etl");
        }
        try (Connection c = asUser("mallory")) {
            assertThatThrownBy(() -> column(c, "SELECT 1")).as("a name that is no lakehouse user gets nothing")
                    .hasMessageContaining("Access Denied");
        }
        try (Connection c = connect(trino().jdbcProperties(trino().admin(), "researcher"))) {
            assertThatThrownBy(() -> column(c, "SELECT 1")).hasMessageContaining("cannot impersonate user researcher");
        }
        // the gateway serves admins too, so its principal may run as an admin; it only ever runs a statement as the
        // user who sent it (asserted through the API below), never as itself for a user
        try (Connection c = asUser("admin")) {
            assertThat(column(c, "SELECT current_user")).containsExactly("admin");
        }
        TrinoConnections connections = new TrinoConnections(new TrinoProperties(trino().jdbcUrl(), "gateway",
                trino().gateway().password(), trino().truststore().toString(), null, "delta", "lakehouse"));
        assertThatThrownBy(() -> connections.open("gateway", Duration.ofSeconds(10)))
                .as("a lakehouse user named like the gateway's principal would get its rights")
                .isInstanceOf(SQLException.class).hasMessageContaining("gateway's own Trino principal");
    }

    @Test
    void theGatewayItselfMaintainsTheCatalogButWritesNoRowsAndReadsNoOnesQueries() throws SQLException {
        try (Connection g = gatewayItself(); Statement st = g.createStatement()) {
            assertThat(column(g, "SELECT current_user")).containsExactly("gateway");
            st.execute("CALL delta.system.flush_metadata_cache()");
            assertDenied(g, "DELETE FROM " + PROBE + " WHERE job_id = 1");
            assertDenied(g, "INSERT INTO " + PROBE + " VALUES (4, 'GSI')");
            assertDenied(g, "SELECT query FROM system.runtime.queries");
            assertDenied(g, "CALL delta.system.vacuum('lakehouse', 'acl_probe', '7d')");
        }
    }

    @Test
    void queriesThroughTheGatewayRunAsTheirUserInTrino() throws SQLException {
        for (String[] login : List.of(new String[] {"researcher", "r-pw"}, new String[] {"admin", "a-pw"})) {
            GatewayClient client = new GatewayClient(port, login[0], login[1]);
            GatewayClient.Response submitted = client.post("/api/v1/queries", Map.of("sql", "SELECT current_user"));
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
            JsonNode done = client.awaitDone(submitted.json().get("id").asString());
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
            assertThat(done.get("rows").get(0).get(0).asString()).isEqualTo(login[0]);
            try (Connection c = admin(); PreparedStatement ps = c.prepareStatement(
                    "SELECT \"user\", source FROM system.runtime.queries WHERE query_id = ?")) {
                ps.setString(1, done.get("trinoQueryId").asString());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("Trino's query list names the user").isEqualTo(login[0]);
                    assertThat(rs.getString(2)).isEqualTo("query-gateway");
                }
            }
        }
    }

    // ---- one researcher cannot starve the others ------------------------------------------------------------------

    @Test
    void aUsersFourthConcurrentQueryQueuesInTheirResourceGroup() throws Exception {
        List<Statement> statements = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection c = asUser("other");
                connections.add(c);
                Statement st = c.createStatement();
                statements.add(st);
                Thread t = new Thread(() -> {
                    try {
                        st.execute(EndlessQuery.SQL);
                    } catch (SQLException cancelled) {
                        // the end of the test cancels it
                    }
                }, "endless-" + i);
                t.setDaemon(true);
                t.start();
            }
            Map<String, Integer> states = Map.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                states = statesOf("other");
                if (states.getOrDefault("RUNNING", 0) == 3 && states.getOrDefault("QUEUED", 0) == 1) {
                    break;
                }
                Thread.sleep(300);
            }
            assertThat(states).as("3 run, the 4th waits").containsEntry("RUNNING", 3).containsEntry("QUEUED", 1);
            try (Connection c = admin()) {
                assertThat(column(c, "SELECT DISTINCT array_join(resource_group_id, '.') FROM system.runtime.queries "
                        + "WHERE \"user\" = 'other' AND state IN ('RUNNING', 'QUEUED')")).containsExactly("users.other");
            }
            try (Connection r = asUser("researcher")) {
                assertThat(column(r, "SELECT 1")).as("another researcher is not held up").containsExactly("1");
            }
        } finally {
            for (Statement st : statements) {
                try {
                    st.cancel();
                } catch (SQLException ignored) {
                    // ended already
                }
            }
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closed already
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!statesOf("other").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(300);
        }
        assertThat(statesOf("other")).as("the endless queries are gone").isEmpty();
    }

    /** Counts of the user's unfinished queries by state, as Trino lists them (read as admin). */
    private static Map<String, Integer> statesOf(String user) throws SQLException {
        Map<String, Integer> states = new TreeMap<>();
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM "
                + "system.runtime.queries WHERE \"user\" = ? AND state NOT IN ('FINISHED', 'FAILED') GROUP BY state")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return states;
    }

    private static SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(trino().truststore())) {
            trust.setCertificateEntry("trino", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}

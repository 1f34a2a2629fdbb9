package ch.cern.alice.lakehouse.query.protocol;

import ch.cern.alice.lakehouse.query.trino.TrinoEndpoint;
import ch.cern.alice.lakehouse.query.testsupport.EndlessQuery;
import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import io.trino.jdbc.TrinoConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real Trino clients against the gateway's protocol port, the gateway against the real Trino 476 (the one
 * {@link TestLake} of the test JVM): trino-jdbc (queries, DatabaseMetaData, prepared statements, the ref session
 * property, cancel) and the Trino CLI executable jar. Answers are compared with the REST API's for the same query;
 * refusals (role, statement guard on statements, PREPARE bodies, EXECUTE IMMEDIATE and a forged prepared statement
 * header, session properties), a wrong password, the row and byte caps and the client recorded in the history are
 * checked.
 * <p>
 * Table {@code protocol_test.trace}: Delta version 1 holds 3 rows, version 2 (the latest) 5.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lakehouse.trino.schema=" + TrinoProtocolTest.SCHEMA, "query.max-result-rows=1000",
        "query.max-result-bytes=2MB"})
class TrinoProtocolTest {

    static final String SCHEMA = "protocol_test";
    private static final String SITES = "SELECT site, count(*) AS jobs, sum(cputime) AS cpu FROM trace "
            + "GROUP BY site ORDER BY site";
    private static final int PROTOCOL_PORT = freePort();
    private static final Path DIR = Path.of(System.getProperty("test.work.dir", "target/test-work"))
            .toAbsolutePath().resolve("protocol");
    private static final Path KEYSTORE = DIR.resolve("gateway.p12");
    private static final Path CERTIFICATE = DIR.resolve("gateway.pem");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        GatewayTestProperties.register(registry);
        writeKeyPair();
        registry.add("query.protocol.port", () -> PROTOCOL_PORT);
        registry.add("query.protocol.keystore", KEYSTORE::toString);
        registry.add("query.protocol.keystore-password", () -> "test-keystore");
    }

    @BeforeAll
    static void versionedTable() throws SQLException {
        try (Connection c = TestLake.get().trinoConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS delta." + SCHEMA);
            st.execute("CREATE TABLE delta." + SCHEMA + ".trace (job_id BIGINT, site VARCHAR, cputime DOUBLE) WITH ("
                    + "location = 's3://" + TestLake.BUCKET + "/" + SCHEMA + "/trace')");
            st.execute("INSERT INTO delta." + SCHEMA + ".trace VALUES (1, 'CERN', 10.5), (2, 'CERN', 20.0), "
                    + "(3, 'FZK', 30.25)");
            st.execute("INSERT INTO delta." + SCHEMA + ".trace VALUES (4, 'CNAF', 40.0), (5, 'FZK', 50.0)");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void jdbcAnswersEqualTheRestApisAndTheMetadataCallsOfToolsWork() throws Exception {
        try (Connection c = jdbc("researcher", "r-pw", new Properties())) {
            assertThat(rows(c, SITES)).containsExactlyElementsOf(rest(SITES, null))
                    .containsExactly("CERN|2|30.5", "CNAF|1|40.0", "FZK|2|80.25");

            DatabaseMetaData meta = c.getMetaData();
            assertThat(meta.getDatabaseProductVersion()).isEqualTo("476");
            assertThat(column(meta.getCatalogs(), "TABLE_CAT")).contains("delta", "system");
            assertThat(column(meta.getSchemas("delta", null), "TABLE_SCHEM")).contains(SCHEMA);
            assertThat(column(meta.getTables("delta", SCHEMA, "%", null), "TABLE_NAME")).containsExactly("trace");
            assertThat(column(meta.getColumns("delta", SCHEMA, "trace", "%"), "COLUMN_NAME"))
                    .containsExactly("job_id", "site", "cputime");
            assertThat(rows(c, "SHOW CATALOGS")).contains("delta", "system");
            assertThat(rows(c, "SHOW SCHEMAS FROM delta")).contains(SCHEMA);
            assertThat(rows(c, "SHOW TABLES")).containsExactly("trace");
            assertThat(rows(c, "DESCRIBE trace")).hasSize(3).first().asString().startsWith("job_id|bigint");
            assertThat(rows(c, "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + SCHEMA
                    + "' AND table_name = 'trace' ORDER BY ordinal_position"))
                    .containsExactly("job_id", "site", "cputime");
            assertThat(rows(c, "SELECT table_name FROM system.jdbc.tables WHERE table_cat = 'delta' AND "
                    + "table_schem = '" + SCHEMA + "'")).containsExactly("trace");
            assertThat(rows(c, "SELECT current_user")).containsExactly("researcher"); // impersonated in Trino

            try (Statement st = c.createStatement()) {
                st.execute("USE system.jdbc");
            }
            assertThat(c.getCatalog()).isEqualTo("system");
            assertThat(c.getSchema()).isEqualTo("jdbc");
            assertThat(rows(c, "SELECT count(*) FROM delta." + SCHEMA + ".trace")).containsExactly("5");
        }
    }

    @Test
    void preparedStatementsWithParametersExplicitOrImmediate() throws Exception {
        String sql = "SELECT count(*), sum(cputime) FROM trace WHERE site = ? AND job_id > ?";
        String expected = rest("SELECT count(*), sum(cputime) FROM trace WHERE site = 'FZK' AND job_id > 1", null)
                .get(0);
        for (String explicit : List.of("true", "false")) {
            Properties p = new Properties();
            p.setProperty("explicitPrepare", explicit);
            try (Connection c = jdbc("researcher", "r-pw", p); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, "FZK");
                ps.setLong(2, 1);
                assertThat(rows(ps.executeQuery())).as("explicitPrepare=" + explicit).containsExactly(expected);
                ps.setString(1, "CERN");
                assertThat(rows(ps.executeQuery())).containsExactly("1|20.0");
            }
        }
    }

    @Test
    void theRefSessionPropertyPinsEveryLakeTableLikeTheRestApisRef() throws Exception {
        String count = "SELECT count(*) FROM trace";
        assertThat(rest(count, "v:1")).containsExactly("3");
        try (Connection c = jdbc("researcher", "r-pw", new Properties())) {
            assertThat(rows(c, count)).containsExactly("5");
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION ref = 'v:1'");
            }
            assertThat(rows(c, count)).containsExactly("3");
            assertThat(rows(c, SITES)).containsExactlyElementsOf(rest(SITES, "v:1"));
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trace WHERE site = ?")) {
                ps.setString(1, "FZK");
                assertThat(rows(ps.executeQuery())).containsExactly("1"); // v:1 has one FZK job, v:2 two
            }
            // a session elsewhere: its unqualified names are its own schema's, qualified lake tables still pinned
            try (Statement st = c.createStatement()) {
                st.execute("USE delta." + SCHEMA);
            }
            assertThat(rows(c, "SELECT count(*) FROM delta." + SCHEMA + ".trace")).containsExactly("3");
            try (Statement st = c.createStatement()) {
                st.execute("RESET SESSION ref");
            }
            assertThat(rows(c, count)).containsExactly("5");

            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("SET SESSION ref = 'no-such-ref'"))
                        .hasMessageContaining("unknown ref 'no-such-ref'");
            }
        }
        Properties session = new Properties();
        try (Connection c = jdbc("researcher", "r-pw", session)) {
            c.unwrap(TrinoConnection.class).setSessionProperty("ref", "v:1"); // as X-Trino-Session, like --session
            assertThat(rows(c, count)).containsExactly("3");
        }
    }

    @Test
    void refusalsAreTheRestApisAndComeAsTrinoErrors() throws Exception {
        try (Connection c = jdbc("researcher", "r-pw", new Properties()); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("DELETE FROM trace WHERE job_id = 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("DELETE");
            assertThatThrownBy(() -> st.execute("PREPARE p FROM DELETE FROM trace"))
                    .hasMessageContaining("not allowed");
            assertThatThrownBy(() -> st.execute("EXECUTE IMMEDIATE 'DROP TABLE trace'"))
                    .hasMessageContaining("not allowed");
            assertThatThrownBy(() -> st.execute("SET SESSION query_max_execution_time = '10h'"))
                    .hasMessageContaining("not allowed");
            assertThatThrownBy(() -> st.execute("SELECT 1; SELECT 2")).hasMessageContaining("multiple statements");
        }
        try (Connection c = jdbc("viewer", "v-pw", new Properties()); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT 1")).hasMessageContaining("researcher role");
        }
        Properties session = new Properties();
        session.setProperty("sessionProperties", "query_max_execution_time:10h");
        try (Connection c = jdbc("researcher", "r-pw", session); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT 1"))
                    .hasMessageContaining("session properties cannot be set");
        }
        // a prepared statement the gateway never saw, sent in the header: checked when executed
        JsonNode forged = post("researcher", "r-pw", "EXECUTE p", Map.of("X-Trino-Prepared-Statement",
                "p=" + java.net.URLEncoder.encode("DELETE FROM trace", StandardCharsets.UTF_8)));
        assertThat(forged.get("error").get("message").asString()).contains("not allowed");
        assertThat(rows(jdbc("researcher", "r-pw", new Properties()), "SELECT count(*) FROM trace"))
                .containsExactly("5");
    }

    @Test
    void wrongPasswordsAndPortsAreRefused() throws Exception {
        assertThatThrownBy(() -> rows(jdbc("researcher", "wrong", new Properties()), "SELECT 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("Authentication failed");
        HttpResponse<String> noLogin = https().send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + PROTOCOL_PORT + "/v1/statement"))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noLogin.statusCode()).isEqualTo(401);
        // the REST API is not on the protocol port, the protocol not on the REST API's
        HttpResponse<String> rest = https().send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + PROTOCOL_PORT + "/api/v1/queries/history"))
                .header("Authorization", basic("researcher", "r-pw")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).isEqualTo(404);
        assertThat(new GatewayClient(port, "researcher", "r-pw").get("/v1/info").status()).isEqualTo(404);
    }

    @Test
    void rowsBeyondTheRowCapAreCutWithAWarning() throws Exception {
        try (Connection c = jdbc("researcher", "r-pw", new Properties()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT x FROM UNNEST(sequence(1, 5000)) t(x) ORDER BY x")) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertThat(n).isEqualTo(1000);
            SQLWarning warning = rs.getWarnings() != null ? rs.getWarnings() : st.getWarnings();
            assertThat(warning == null ? null : warning.getMessage()).contains("QUERY_MAX_RESULT_ROWS");
        }
    }

    @Test
    void wideRowsStopAtTheByteCapWithAWarning() throws Exception {
        // 400 rows of ~10,000 characters (~20 kB each as the gateway estimates): the 2MB cap ends it near row 100
        try (Connection c = jdbc("researcher", "r-pw", new Properties()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT x, rpad('', 10000, 'x') AS wide FROM UNNEST(sequence(1, 400)) "
                     + "t(x) ORDER BY x")) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertThat(n).isBetween(50, 110);
            SQLWarning warning = rs.getWarnings() != null ? rs.getWarnings() : st.getWarnings();
            assertThat(warning == null ? null : warning.getMessage()).contains("QUERY_MAX_RESULT_BYTES");
        }
    }

    @Test
    void jdbcCancelEndsTheQueryInTrino() throws Exception {
        try (Connection c = jdbc("researcher", "r-pw", new Properties()); Statement st = c.createStatement()) {
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = st.executeQuery(EndlessQuery.SQL)) {
                    return rs.next(); // blocks until the count is known, i.e. until the query ends
                } catch (SQLException e) {
                    return e;
                }
            });
            String queryId = awaitRunningInTrino("researcher");
            st.cancel();
            Object outcome = running.get(60, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(SQLException.class);
            awaitTrinoState(queryId, "FAILED");
            assertThat(historyOf(queryId)).isEqualTo("CANCELLED");
        }
    }

    @Test
    void theTrinoCliGetsTheRestApisAnswersAndTheHistoryNamesIt() throws Exception {
        Cli sites = cli("r-pw", List.of("--execute", SITES));
        assertThat(sites.exit()).as(sites.errors()).isZero();
        assertThat(sites.output().lines().map(l -> l.replace("\"", "").replace(',', '|')).toList())
                .containsExactlyElementsOf(rest(SITES, null));

        Cli pinned = cli("r-pw", List.of("--session", "ref=v:1", "--execute", "SELECT count(*) FROM trace"));
        assertThat(pinned.output().strip()).as(pinned.errors()).isEqualTo("\"3\"");

        Cli refused = cli("r-pw", List.of("--execute", "DROP TABLE trace"));
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.errors()).contains("not allowed");

        Cli wrong = cli("wrong-password", List.of("--execute", "SELECT 1"));
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.errors()).containsIgnoringCase("authentication failed");

        try (Connection db = DriverManager.getConnection(TestLake.get().postgresJdbcUrl());
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT client, row_count, ref, status FROM query.query_history "
                     + "WHERE sql_text = 'SELECT count(*) FROM trace' AND client LIKE 'trino-cli%'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong("row_count")).isEqualTo(1);
            assertThat(rs.getString("ref")).isEqualTo("v:1");
            assertThat(rs.getString("status")).isEqualTo("FINISHED");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** @param output standard output (the rows), @param errors standard error (the JVM's and the CLI's messages) */
    record Cli(int exit, String output, String errors) {
    }

    private Cli cli(String password, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("gateway.java.home", System.getProperty("java.home")), "bin", "java")
                        .toString(), "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("trino.cli.jar", "target/test-servers/trino-cli.jar"),
                "--server", "https://127.0.0.1:" + PROTOCOL_PORT, "--user", "researcher", "--password",
                "--truststore-path", CERTIFICATE.toString(), "--catalog", "delta", "--schema", SCHEMA,
                "--output-format", "CSV"));
        command.addAll(args);
        Path errors = Files.createTempFile(DIR, "cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        builder.environment().put("TRINO_PASSWORD", password);
        Process p = builder.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(errors);
        Files.delete(errors);
        return new Cli(p.exitValue(), output, stderr);
    }

    private Connection jdbc(String user, String password, Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("SSL", "true");
        p.setProperty("SSLTrustStorePath", CERTIFICATE.toString());
        p.putAll(extra);
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + PROTOCOL_PORT + "/delta/" + SCHEMA, p);
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        }
    }

    private static List<String> rows(ResultSet rs) throws SQLException {
        List<String> rows = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(rs.getString(i));
            }
            rows.add(String.join("|", row));
        }
        return rows;
    }

    private static List<String> column(ResultSet rs, String name) throws SQLException {
        List<String> values = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                values.add(rs.getString(name));
            }
        }
        return values;
    }

    /** The same query through the REST API, rows as "a|b|c" with the values as Trino prints them. */
    private List<String> rest(String sql, String ref) {
        GatewayClient researcher = new GatewayClient(port, "researcher", "r-pw");
        GatewayClient.Response submitted = researcher.post("/api/v1/queries",
                ref == null ? Map.of("sql", sql) : Map.of("sql", sql, "ref", ref));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode done = researcher.awaitDone(submitted.json().get("id").asString());
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
        List<String> rows = new ArrayList<>();
        for (JsonNode row : done.get("rows")) {
            List<String> values = new ArrayList<>();
            row.forEach(v -> values.add(v.isNull() ? null : v.asString()));
            rows.add(String.join("|", values));
        }
        return rows;
    }

    private JsonNode post(String user, String password, String sql, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + PROTOCOL_PORT
                        + "/v1/statement")).header("Authorization", basic(user, password))
                .POST(HttpRequest.BodyPublishers.ofString(sql));
        headers.forEach(request::header);
        HttpResponse<String> response = https().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ProtocolResults.JSON.readTree(response.body());
    }

    private static HttpClient https() {
        return HttpClient.newBuilder().sslContext(TrinoEndpoint.sslContext(CERTIFICATE, null)).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String awaitRunningInTrino(String user) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            try (Connection c = TestLake.get().trinoConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT query_id FROM system.runtime.queries WHERE \"user\" = '"
                         + user + "' AND state = 'RUNNING' AND query LIKE '%unnest(sequence(1, 10000))%'")) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the endless query did not start in Trino");
    }

    private static void awaitTrinoState(String queryId, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = null;
        while (System.nanoTime() < until) {
            try (Connection c = TestLake.get().trinoConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT state FROM system.runtime.queries WHERE query_id = '"
                         + queryId + "'")) {
                last = rs.next() ? rs.getString(1) : null;
                if (state.equals(last)) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("query " + queryId + " is " + last + ", not " + state);
    }

    private static String historyOf(String trinoQueryId) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String status = null;
        while (System.nanoTime() < until) {
            try (Connection db = DriverManager.getConnection(TestLake.get().postgresJdbcUrl());
                 Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT status FROM query.query_history WHERE trino_query_id = '"
                         + trinoQueryId + "'")) {
                status = rs.next() ? rs.getString(1) : null;
                if (status != null && !status.equals("RUNNING") && !status.equals("QUEUED")) {
                    return status;
                }
            }
            Thread.sleep(200);
        }
        return status;
    }

    private static void writeKeyPair() throws IOException, InterruptedException {
        if (Files.exists(KEYSTORE) && Files.exists(CERTIFICATE)) {
            return;
        }
        Files.createDirectories(DIR);
        Files.deleteIfExists(KEYSTORE);
        String keytool = Path.of(System.getProperty("gateway.java.home", System.getProperty("java.home")), "bin",
                "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "query-gateway", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "30", "-dname", "CN=query-gateway", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", KEYSTORE.toString(), "-storepass", "test-keystore",
                "-keypass", "test-keystore"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "query-gateway", "-keystore", KEYSTORE.toString(),
                "-storepass", "test-keystore", "-file", CERTIFICATE.toString()));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package ch.cern.alice.lakehouse.localstack.postgres;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.PGConnection;

import java.io.File;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/postgres/roles.sql on a real PostgreSQL 17 with password (SCRAM) logins, as docker compose's postgres-init
 * and the local stack's launcher apply it (docs/security.md, "Least privilege"): each service migrates its own
 * schema as its own role (the Flyway settings of its application.yml, its migrations from the repository), then
 * every role does what its service does and is refused what it does not need.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseRolesTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();
    /** The schema each service migrates, and where its migrations are (Spring Boot's flyway settings). */
    private static final Map<String, String> MIGRATIONS = new LinkedHashMap<>();

    static {
        MIGRATIONS.put("staging", "classpath:db/staging"); // common's, run by ingest-service as lakehouse_staging
        MIGRATIONS.put("ingest", "filesystem:" + ROOT.resolve("ingest-service/src/main/resources/db/ingest"));
        MIGRATIONS.put("etl", "filesystem:" + ROOT.resolve("etl-service/src/main/resources/db/etl"));
        MIGRATIONS.put("query", "filesystem:" + ROOT.resolve("query-gateway/src/main/resources/db/query"));
        MIGRATIONS.put("versioning",
                "filesystem:" + ROOT.resolve("versioning-service/src/main/resources/db/versioning"));
    }

    private static EmbeddedPostgres postgres;
    private static final Map<String, String> passwords = new HashMap<>(Map.of(
            "staging", "staging-pw-0123", "ingest", "ingest 'pw' $1 \\ x", "etl", "etl-pw-0123456",
            "query", "query-pw-0123456", "versioning", "versioning-pw-0123"));

    @BeforeAll
    static void startPostgresAndMigrateEachSchemaAsItsRole() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/database-roles-test"));
        Path hba = dir.resolve("pg_hba.conf");
        // the superuser is trusted (the test administers with it); every other login needs its password
        Files.writeString(hba, String.join("\n", "host all postgres 127.0.0.1/32 trust",
                "host all postgres ::1/128 trust", "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256", ""));
        postgres = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toAbsolutePath().toString()).start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE lakehouse");
        }
        try (Connection c = superuser("lakehouse")) {
            DatabaseRoles.apply(c, DatabaseRoles.script(), passwords);
        }
        for (String schema : MIGRATIONS.keySet()) {
            assertThat(migrate("lakehouse", schema, "lakehouse_" + schema, passwords.get(schema)).success).isTrue();
        }
        createPartitions("lakehouse", "lakehouse_staging", passwords.get("staging"));
        // staging's Flyway history got the owner's default privileges when the migration created it: ingest-service
        // takes them back right after its migration (StagingOwnerTasks, IngestOwnRolesTest), the script at its next
        // run (compose's postgres-init at every `up`, the launcher at every start) - which this does
        try (Connection c = superuser("lakehouse")) {
            DatabaseRoles.apply(c, DatabaseRoles.script(), Map.of());
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    // ---- what each service does -----------------------------------------------------------------------------------

    @Test
    @Order(1)
    void eachSchemaAndEverythingInItBelongsToItsServiceRole() throws Exception {
        try (Connection c = superuser("lakehouse")) {
            assertThat(rows(c, "SELECT DISTINCT n.nspname || ':' || c.relowner::regrole FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN "
                    + "('staging', 'ingest', 'etl', 'query', 'versioning') ORDER BY 1"))
                    .containsExactly("etl:lakehouse_etl", "ingest:lakehouse_ingest", "query:lakehouse_query",
                            "staging:lakehouse_staging", "versioning:lakehouse_versioning");
            assertThat(rows(c, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'lakehouse\\_%' AND (rolsuper "
                    + "OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls OR rolinherit) ORDER BY 1"))
                    .as("service roles with more than their grants").isEmpty();
        }
    }

    @Test
    @Order(2)
    void ingestCopiesAndUpdatesStagedRowsAndKeepsDeadLetters() throws Exception {
        try (Connection c = login("ingest"); Statement st = c.createStatement()) {
            long copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY staging.records_trace (dataset, dedup_key, site, received_at, payload) FROM STDIN",
                    new StringReader("trace\tCERN|1\tCERN\t2024-06-01T00:00:00Z\t{\"job_id\":1}\n"
                            + "trace\tCERN|2\tCERN\t2024-06-01T00:00:00Z\t{\"job_id\":2}\n"));
            assertThat(copied).isEqualTo(2);
            // the slow path of StagingWriter: a session temp table, then an upsert that takes a new id
            st.execute("CREATE TEMP TABLE ingest_batch (dataset TEXT, dedup_key TEXT, site TEXT, "
                    + "received_at TIMESTAMPTZ, payload TEXT)");
            st.execute("INSERT INTO ingest_batch VALUES "
                    + "('trace', 'CERN|2', 'CERN', '2024-06-02T00:00:00Z', '{\"job_id\":2,\"v\":2}')");
            assertThat(st.executeUpdate("INSERT INTO staging.records_trace AS staged (dataset, dedup_key, site, "
                    + "received_at, payload) SELECT dataset, dedup_key, site, received_at, payload FROM ingest_batch "
                    + "ON CONFLICT (dataset, dedup_key) DO UPDATE SET id = nextval('staging.records_id_seq'), "
                    + "received_at = excluded.received_at, payload = excluded.payload "
                    + "WHERE excluded.received_at > staged.received_at")).isEqualTo(1);
            assertThat(rows(c, "SELECT dataset || ':' || count(*) FROM staging.records GROUP BY dataset"))
                    .containsExactly("trace:2");
            assertThat(st.executeUpdate("INSERT INTO ingest.dead_letters (dataset, topic, kafka_partition, "
                    + "kafka_offset, envelope, reason) VALUES ('trace', 'lakehouse.trace', 0, 7, 'x', 'not JSON')"))
                    .isEqualTo(1);
            assertThat(rows(c, "SELECT reason FROM ingest.dead_letters")).containsExactly("not JSON");
        }
    }

    @Test
    @Order(3)
    void ingestTouchesNothingElse() throws Exception {
        assertRefused("ingest",
                "SELECT * FROM etl.runs", "SELECT * FROM query.saved_query", "SELECT * FROM versioning.commits",
                "DELETE FROM staging.records_trace", "TRUNCATE staging.records", "DROP TABLE staging.records",
                "ALTER TABLE staging.records ADD COLUMN evil int", "CREATE TABLE staging.evil (id int)",
                "CREATE TABLE staging.records_evil PARTITION OF staging.records FOR VALUES IN ('evil')",
                "CREATE SCHEMA evil", "SET ROLE lakehouse_staging", "SET ROLE lakehouse_etl",
                "COPY staging.records_trace FROM '/etc/passwd'", "DELETE FROM staging.flyway_schema_history",
                "UPDATE staging.flyway_schema_history SET checksum = 0");
    }

    @Test
    @Order(4)
    void etlClaimsReadsAndDeletesStagedRows() throws Exception {
        long max;
        try (Connection c = login("etl"); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT to_regclass('staging.records_trace') IS NOT NULL")).containsExactly("t");
            c.setAutoCommit(false); // the claim of etl-service's StagingRepository and etl-jobs' StagingClaim
            st.execute("LOCK TABLE staging.records_trace IN SHARE MODE");
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM staging.records_trace")) {
                rs.next();
                max = rs.getLong(1);
            }
            c.commit();
            c.setAutoCommit(true);
            assertThat(rows(c, "SELECT payload FROM staging.records_trace WHERE id > 0 AND id <= " + max
                    + " ORDER BY id")).hasSize(2); // the Spark job's read
            assertThat(st.executeUpdate("DELETE FROM staging.records_trace WHERE id <= " + max)).isEqualTo(2);
            assertThat(st.executeUpdate("INSERT INTO etl.runs (dataset, status, trigger) "
                    + "VALUES ('trace', 'QUEUED', 'API')")).isEqualTo(1);
        }
        assertThat(max).isPositive();
    }

    @Test
    @Order(5)
    void etlTouchesNothingElse() throws Exception {
        assertRefused("etl",
                "INSERT INTO staging.records_trace (dataset, dedup_key, site, received_at, payload) "
                        + "VALUES ('trace', 'x', 'CERN', now(), '{}')",
                "UPDATE staging.records_trace SET site = 'x'", "TRUNCATE staging.records_trace",
                "DROP TABLE staging.records_trace", "SELECT nextval('staging.records_id_seq')",
                "SELECT * FROM query.saved_query", "INSERT INTO query.saved_query (name, sql_text, owner, "
                        + "created_at, updated_at) VALUES ('x', 'SELECT 1', 'etl', now(), now())",
                "SELECT * FROM versioning.commits", "SELECT * FROM ingest.dead_letters",
                "CREATE TEMP TABLE t (id int)", "CREATE SCHEMA evil", "DELETE FROM staging.flyway_schema_history",
                "SET ROLE lakehouse_ingest");
    }

    @Test
    @Order(6)
    void queryGatewayVersioningAndTheStagingOwnerReachOnlyTheirOwnSchema() throws Exception {
        try (Connection c = login("query"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO query.saved_query (name, sql_text, owner, created_at, "
                    + "updated_at) VALUES ('mine', 'SELECT 1', 'ada', now(), now())")).isEqualTo(1);
            assertThat(st.executeUpdate("DELETE FROM query.saved_query WHERE name = 'mine'")).isEqualTo(1);
        }
        try (Connection c = login("versioning")) {
            assertThat(rows(c, "SELECT count(*) FROM versioning.commits")).containsExactly("0");
        }
        for (String role : List.of("query", "versioning")) {
            assertRefused(role, "SELECT * FROM staging.records", "SELECT * FROM ingest.dead_letters",
                    "SELECT * FROM etl.runs", "CREATE SCHEMA evil", "CREATE TEMP TABLE t (id int)");
        }
        assertRefused("query", "SELECT * FROM versioning.commits");
        assertRefused("versioning", "SELECT * FROM query.saved_query", "SELECT * FROM query.query_history");
        assertRefused("staging", "SELECT * FROM etl.runs", "SELECT * FROM ingest.dead_letters",
                "SELECT * FROM query.saved_query", "SELECT * FROM versioning.commits");
    }

    @Test
    @Order(7)
    void aPartitionTheOwnerCreatesLaterIsWrittenByIngestAndClaimedByEtl() throws Exception {
        try (Connection c = login("staging"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE staging.records_alarms PARTITION OF staging.records FOR VALUES IN ('alarms')");
        }
        try (Connection c = login("ingest"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO staging.records_alarms (dataset, dedup_key, site, received_at, "
                    + "payload) VALUES ('alarms', 'CERN|1', 'CERN', now(), '{}')")).isEqualTo(1);
        }
        try (Connection c = login("etl"); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("LOCK TABLE staging.records_alarms IN SHARE MODE");
            c.commit();
            c.setAutoCommit(true);
            assertThat(st.executeUpdate("DELETE FROM staging.records_alarms")).isEqualTo(1);
        }
    }

    // ---- who gets in ----------------------------------------------------------------------------------------------

    @Test
    @Order(8)
    void aWrongPasswordOrAnotherRoleDoesNotGetIn() throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection(url("lakehouse"), "lakehouse_ingest", "guess").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        try (Connection c = superuser("lakehouse"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE intruder LOGIN PASSWORD 'intruder-pw'");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url("lakehouse"), "intruder", "intruder-pw").close())
                .as("a login without a grant on the lakehouse database").isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database");
    }

    @Test
    @Order(9)
    void runningTheScriptAgainRotatesThePasswordsGivenAndKeepsTheOthers() throws Exception {
        String old = passwords.get("ingest");
        try (Connection c = superuser("lakehouse")) {
            DatabaseRoles.apply(c, DatabaseRoles.script(), Map.of("ingest", "rotated-ingest-pw"));
            // the settings do not outlive the run
            assertThat(rows(c, "SELECT coalesce(current_setting('lakehouse.ingest_password', true), '')"))
                    .containsExactly("");
        }
        passwords.put("ingest", "rotated-ingest-pw");
        assertThatThrownBy(() -> DriverManager.getConnection(url("lakehouse"), "lakehouse_ingest", old).close())
                .isInstanceOf(SQLException.class);
        for (String name : DatabaseRoles.NAMES) {
            login(name).close();
        }
        // and the migrations found everything in place, including after the re-run
        for (String schema : MIGRATIONS.keySet()) {
            assertThat(migrate("lakehouse", schema, "lakehouse_" + schema, passwords.get(schema)).migrationsExecuted)
                    .as(schema + " migrations pending after the re-run").isZero();
        }
    }

    @Test
    @Order(10)
    void anOlderDeploymentWhereOneRoleOwnedEverythingIsHandedToTheServiceRoles() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE lakehouse_before LOGIN PASSWORD 'before-pw'");
            st.execute("CREATE DATABASE upgraded OWNER lakehouse_before");
        }
        for (String schema : MIGRATIONS.keySet()) {
            migrate("upgraded", schema, "lakehouse_before", "before-pw");
        }
        createPartitions("upgraded", "lakehouse_before", "before-pw");
        try (Connection c = superuser("upgraded")) {
            DatabaseRoles.apply(c, DatabaseRoles.script(), Map.of());
            assertThat(rows(c, "SELECT DISTINCT n.nspname || ':' || c.relowner::regrole FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN "
                    + "('staging', 'ingest', 'etl', 'query', 'versioning') ORDER BY 1"))
                    .containsExactly("etl:lakehouse_etl", "ingest:lakehouse_ingest", "query:lakehouse_query",
                            "staging:lakehouse_staging", "versioning:lakehouse_versioning");
            assertThat(rows(c, "SELECT count(*) FROM staging.flyway_schema_history WHERE success"))
                    .first().asString().isNotEqualTo("0");
        }
        for (String schema : MIGRATIONS.keySet()) {
            MigrateResult again = migrate("upgraded", schema, "lakehouse_" + schema, passwords.get(schema));
            assertThat(again.migrationsExecuted).as(schema + " migrations re-run after the upgrade").isZero();
        }
        try (Connection c = DriverManager.getConnection(url("upgraded"), "lakehouse_ingest", passwords.get("ingest"));
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO staging.records_jdl (dataset, dedup_key, site, received_at, "
                    + "payload) VALUES ('jdl', 'CERN|1', 'CERN', now(), '{}')")).isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection(url("upgraded"), "lakehouse_etl", passwords.get("etl"));
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM staging.records_jdl")).isEqualTo(1);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url("upgraded"), "lakehouse_before", "before-pw")
                .createStatement().executeQuery("SELECT * FROM etl.runs"))
                .as("the role everything belonged to before").hasMessageContaining("permission denied");
    }

    @Test
    @Order(11)
    void initRolesShellScriptSetsEveryPasswordAndRefusesAMissingOne() throws Exception {
        assumeTrue(onPath("psql"), "psql not installed (apt-get install postgresql-client)");
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", "127.0.0.1",
                "PGPORT", String.valueOf(postgres.getPort()), "PGUSER", "postgres", "PGDATABASE", "lakehouse"));
        Map<String, String> shellPasswords = new LinkedHashMap<>();
        for (String name : DatabaseRoles.NAMES) {
            shellPasswords.put(name, "sh-" + name + " pw 'quoted' $HOME `x` \\");
            env.put(DatabaseRoles.passwordVariable(name), shellPasswords.get(name));
        }
        Map<String, String> missing = new HashMap<>(env);
        missing.remove("LAKEHOUSE_DB_ETL_PASSWORD");
        ScriptRun refused = initRoles(missing);
        assertThat(refused.exitCode).isEqualTo(2);
        assertThat(refused.output).contains("LAKEHOUSE_DB_ETL_PASSWORD is not set");

        ScriptRun run = initRoles(env);
        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("ready in database lakehouse").doesNotContain("sh-ingest");
        passwords.putAll(shellPasswords);
        for (String name : DatabaseRoles.NAMES) {
            login(name).close();
        }
        try (Connection c = login("ingest")) {
            assertThat(rows(c, "SELECT current_user")).containsExactly("lakehouse_ingest");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Migrates a schema as a service does at start-up (Spring Boot's Flyway with the service's settings). */
    private static MigrateResult migrate(String database, String schema, String user, String password) {
        return Flyway.configure().dataSource(url(database), user, password).locations(MIGRATIONS.get(schema))
                .schemas(schema).defaultSchema(schema).createSchemas(true).table("flyway_schema_history")
                .load().migrate();
    }

    /** One partition per catalog dataset, as ingest-service's StagingPartitions creates them. */
    private static void createPartitions(String database, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(database), user, password);
             Statement st = c.createStatement()) {
            for (String dataset : CATALOG.names()) {
                st.execute("CREATE TABLE staging.records_" + dataset + " PARTITION OF staging.records "
                        + "FOR VALUES IN ('" + dataset + "')");
            }
        }
    }

    private static void assertRefused(String name, String... statements) throws SQLException {
        List<String> allowed = new ArrayList<>();
        for (String sql : statements) {
            try (Connection c = login(name); Statement st = c.createStatement()) {
                st.execute(sql);
                allowed.add(sql);
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as(name + ": " + sql + " -> " + e.getMessage())
                        .isIn("42501", "0LP01"); // insufficient_privilege, invalid_grant_operation
            }
        }
        assertThat(allowed).as("statements lakehouse_" + name + " may run but should not").isEmpty();
    }

    private static Connection login(String name) throws SQLException {
        return DriverManager.getConnection(url("lakehouse"), DatabaseRoles.role(name), passwords.get(name));
    }

    private static Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", "");
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private record ScriptRun(int exitCode, String output) {
    }

    private static ScriptRun initRoles(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", ROOT.resolve("deploy/postgres/init-roles.sh").toString())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LAKEHOUSE_DB_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ScriptRun(p.exitValue(), output);
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    }
}

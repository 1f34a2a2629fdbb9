package ch.cern.alice.lakehouse.ingest;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.testsupport.Envelopes;
import ch.cern.alice.lakehouse.ingest.testsupport.TestKafka;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * ingest-service as a deployment runs it (docs/security.md, "Least privilege"): the database prepared by
 * deploy/postgres/roles.sql, staging migrated and partitioned as its owner lakehouse_staging, rows and dead letters
 * written as lakehouse_ingest. The service starts, stages (new keys by COPY, a newer record by the upsert), keeps a
 * poison record, and holds no session of the owner role afterwards; its own role cannot change staging's tables.
 */
class IngestOwnRolesTest {

    private static final String GROUP = "ingest-own-roles-it";
    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();

    private static TestPostgres postgres;
    private static TestKafka kafka;
    private static JdbcTemplate admin;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void startAsTheDeploymentDoes() throws Exception {
        postgres = TestPostgres.start();
        admin = postgres.jdbc();
        // as the superuser, like deploy/postgres/init-roles.sh (passwords do not matter: the test server trusts)
        admin.execute("SET lakehouse.ingest_password = 'ingest-test-password'");
        admin.execute(Files.readString(rolesSql(), StandardCharsets.UTF_8));
        kafka = new TestKafka(CATALOG);
        app = IngestApplication.application().run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=lakehouse_ingest",
                "--spring.datasource.password=ingest-test-password",
                "--LAKEHOUSE_STAGING_DB_USER=lakehouse_staging",
                "--LAKEHOUSE_STAGING_DB_PASSWORD=staging-test-password",
                "--spring.datasource.hikari.connection-timeout=2000",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrap(),
                "--spring.kafka.consumer.group-id=" + GROUP,
                "--ingest.topic-partitions=" + TestKafka.PARTITIONS,
                "--lakehouse.security.users=ada:{noop}ada-pw:admin");
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static Path rolesSql() {
        Path file = Path.of(System.getProperty("repo.root", "..")).resolve("deploy/postgres/roles.sql");
        assertThat(file).as("the deployment's roles script").exists();
        return file;
    }

    @Test
    void theStagingMigrationAndThePartitionsBelongToTheOwnerRole() {
        assertThat(admin.queryForList("SELECT DISTINCT relowner::regrole::text FROM pg_class "
                + "WHERE relnamespace = 'staging'::regnamespace AND relkind IN ('r', 'p', 'S')", String.class))
                .containsExactly("lakehouse_staging");
        assertThat(admin.queryForList("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'staging.records'::regclass", String.class))
                .contains("records_trace", "records_job_info", "records_jdl", "records_metrics");
        assertThat(admin.queryForObject("SELECT count(*) FROM staging.flyway_schema_history WHERE success",
                Integer.class)).isGreaterThanOrEqualTo(4);
        // the ETL's role reaches the partitions the migration created, through the owner's default privileges
        assertThat(admin.queryForObject("SELECT has_table_privilege('lakehouse_etl', 'staging.records_trace', "
                + "'SELECT') AND has_table_privilege('lakehouse_etl', 'staging.records_trace', 'DELETE') AND NOT "
                + "has_table_privilege('lakehouse_etl', 'staging.records_trace', 'INSERT')", Boolean.class)).isTrue();
        // ... but not the Flyway history, which StagingOwnerTasks keeps to the owner
        assertThat(admin.queryForObject("SELECT has_table_privilege('lakehouse_ingest', "
                + "'staging.flyway_schema_history', 'SELECT') OR has_table_privilege('lakehouse_etl', "
                + "'staging.flyway_schema_history', 'DELETE')", Boolean.class)).isFalse();
        assertThat(admin.queryForObject("SELECT relowner::regrole::text FROM pg_class "
                + "WHERE oid = 'ingest.dead_letters'::regclass", String.class)).isEqualTo("lakehouse_ingest");
    }

    @Test
    void recordsAreStagedAndUpdatedAndPoisonIsKeptAsTheServiceRoleWhichHoldsTheOnlySessions() {
        kafka.send("lakehouse.trace", 0, "roles-1", Envelopes.trace(7001, "CERN"));
        await().atMost(Duration.ofSeconds(30)).until(() -> payloads(7001).size() == 1);
        Map<String, Object> newer = Envelopes.tracePayload(7001, "CERN");
        newer.put("laststatuschangetimestamp", 1_716_999_999_000L);
        newer.put("walltime", 4321);
        kafka.send("lakehouse.trace", 0, "roles-1", Envelopes.envelope("trace", "CERN", Envelopes.key("CERN", 7001),
                Envelopes.RECEIVED_AT + 1000, newer));
        kafka.send("lakehouse.trace", 0, "roles-2", "not an envelope".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(payloads(7001)).singleElement().asString().contains("\"walltime\":4321");
            assertThat(admin.queryForObject("SELECT count(*) FROM ingest.dead_letters WHERE record_key = ?",
                    Integer.class, (Object) "roles-2".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
        });
        assertThat(admin.queryForList("SELECT DISTINCT usename::text FROM pg_stat_activity "
                + "WHERE datname = ? AND pid <> pg_backend_pid()", String.class, TestPostgres.DATABASE))
                .as("sessions on the lakehouse database besides this test's").containsExactly("lakehouse_ingest");
    }

    @Test
    void theServiceRoleCannotChangeStagingItself() {
        JdbcTemplate ingest = new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl(), "lakehouse_ingest",
                "ingest-test-password"));
        for (String sql : List.of("DROP TABLE staging.records_trace", "TRUNCATE staging.records",
                "DELETE FROM staging.records_trace",
                "CREATE TABLE staging.records_extra PARTITION OF staging.records FOR VALUES IN ('extra')",
                "DELETE FROM staging.flyway_schema_history", "SET ROLE lakehouse_staging")) {
            assertThatThrownBy(() -> ingest.execute(sql)).as(sql).rootCause().isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
                            .isEqualTo("42501")); // insufficient_privilege

        }
    }

    private static List<String> payloads(long jobId) {
        return admin.queryForList("SELECT payload FROM staging.records WHERE dataset = 'trace' "
                + "AND payload::jsonb->>'job_id' = ?", String.class, Long.toString(jobId));
    }
}

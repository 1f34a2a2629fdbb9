package ch.cern.alice.lakehouse.ingest.staging;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterSchema;
import ch.cern.alice.lakehouse.ingest.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staging migrations of issue #12 (V3 ordering columns, V4 site + escaped dedup keys) on a real PostgreSQL whose
 * staging holds rows of the old format: staged by the previous release (V2) with keys that are the key values
 * joined by '|' without the site.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StagingMigrationTest {

    private static TestPostgres postgres;
    private static JdbcTemplate jdbc;
    private static final Map<String, Long> idsBefore = new HashMap<>();

    @BeforeAll
    static void stageOldRowsAndMigrate() throws Exception {
        postgres = TestPostgres.start();
        jdbc = postgres.jdbc();
        flyway().target("2").load().migrate();
        // the previous release created the partitions at start
        new StagingPartitions(jdbc, new TransactionTemplate(new DataSourceTransactionManager(postgres.lakehouse())),
                DatasetCatalog.builtIn(), new StaticListableBeanFactory()
                .getBeanProvider(FlywayMigrationInitializer.class)).afterPropertiesSet();

        stageOld("trace", "424242", "CERN", "2024-05-29T16:26:40.123Z",
                "{\"job_id\":424242,\"finaltimestamp\":1716999000000,\"site\":\"CERN\","
                        + "\"laststatuschangetimestamp\":1716999000500}");
        stageOld("trace", "424243", "FZK", "2024-05-29T16:26:40.123Z",
                "{\"job_id\":424243,\"finaltimestamp\":1716999000000,\"site\":\"FZK\"}");
        // V1-era payload (jsonb written back as text by V2): spaces after the separators
        stageOld("job_info", "77", "GSI", "2024-05-29T16:26:40.123Z",
                "{\"job_id\": 77, \"site\": \"GSI\", \"status\": \"DONE\", \"job_submit_timestamp\": 1716990000, "
                        + "\"state_change_timestamp\": 1716999000900}");
        stageOld("jdl", "88", "CERN", "2024-05-29T16:26:40.123Z",
                "{\"job_id\":88,\"submit_timestamp\":1716990000,\"jdl_text\":\"Executable = \\\"x|y\\\";\"}");
        // key parts holding the separator and the escape character
        stageOld("metrics", "CERN|ALICE|CE|n1|load1|1700000000000", "CERN", "2024-05-29T16:26:40.123Z",
                metric("CERN", "ALICE|CE", "n1", "load1"));
        stageOld("metrics", "CERN|ALICE|CE|n\\1|load1|1700000000000", "CERN", "2024-05-29T16:26:40.123Z",
                metric("CERN", "ALICE|CE", "n\\\\1", "load1"));
        // ("a|b", "c") and ("a", "b|c") had the same old key: only one could be staged; it stays distinct now
        stageOld("metrics", "RAL|a|b|c|p|1700000000000", "RAL", "2024-05-29T16:26:40.123Z",
                metric("RAL", "a|b", "c", "p"));
        // two old rows that re-key to the same key: the newest by the update rule stays
        stageOld("trace", "555", "CNAF", "2024-05-29T16:26:40.123Z",
                "{\"job_id\":555,\"finaltimestamp\":1716999000000,\"site\":\"CNAF\","
                        + "\"laststatuschangetimestamp\":1716999000200}");
        stageOld("trace", "0555", "CNAF", "2024-05-29T16:26:50.000Z",
                "{\"job_id\":555,\"finaltimestamp\":1716999000000,\"site\":\"CNAF\","
                        + "\"laststatuschangetimestamp\":1716999000100}");
        stageOld("metrics", "SARA|c|n|p|1700000000000", "SARA", "2024-05-29T16:26:40.000Z",
                metric("SARA", "c", "n", "p"));
        stageOld("metrics", "SARA|c|n|p|1700000000000.0", "SARA", "2024-05-29T16:26:41.000Z",
                metric("SARA", "c", "n", "p").replace("\"value\":1.5", "\"value\":2.5"));
        // a dataset the catalog does not know (default partition): left as it is
        stageOld("alarms", "a-1", "GSI", "2024-05-29T16:26:40.123Z", "{\"alarm_id\":1}");

        flyway().load().migrate();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
        return Flyway.configure().dataSource(postgres.lakehouse()).locations("classpath:db/staging")
                .schemas("staging").defaultSchema("staging");
    }

    private static void stageOld(String dataset, String key, String site, String receivedAt, String payload) {
        long id = jdbc.queryForObject("INSERT INTO staging.records (dataset, dedup_key, site, received_at, payload) "
                + "VALUES (?, ?, ?, ?::timestamptz, ?) RETURNING id", Long.class, dataset, key, site, receivedAt,
                payload);
        idsBefore.put(dataset + ":" + key, id);
    }

    private static String metric(String farm, String cluster, String node, String parameter) {
        return "{\"farm\":\"" + farm + "\",\"cluster\":\"" + cluster + "\",\"node\":\"" + node + "\",\"parameter\":\""
                + parameter + "\",\"value\":1.5,\"timestamp\":1700000000000}";
    }

    @Test
    void bothMigrationsRan() {
        assertThat(jdbc.queryForList("SELECT version || ':' || success FROM staging.flyway_schema_history "
                + "WHERE version IS NOT NULL ORDER BY installed_rank", String.class))
                .containsExactly("1:true", "2:true", "3:true", "4:true");
    }

    @Test
    void stagedRowsCarryTheSiteAndEscapedKeyValuesAndKeepTheirIds() {
        assertThat(keysOf("trace")).containsExactlyInAnyOrder("CERN|424242", "FZK|424243", "CNAF|555");
        assertThat(keysOf("job_info")).containsExactly("GSI|77");
        assertThat(keysOf("jdl")).containsExactly("CERN|88");
        assertThat(keysOf("metrics")).containsExactlyInAnyOrder(
                "CERN|CERN|ALICE\\|CE|n1|load1|1700000000000",
                "CERN|CERN|ALICE\\|CE|n\\\\1|load1|1700000000000",
                "RAL|RAL|a\\|b|c|p|1700000000000",
                "SARA|SARA|c|n|p|1700000000000");
        assertThat(id("trace", "CERN|424242")).isEqualTo(idsBefore.get("trace:424242"));
        assertThat(id("metrics", "CERN|CERN|ALICE\\|CE|n\\\\1|load1|1700000000000"))
                .isEqualTo(idsBefore.get("metrics:CERN|ALICE|CE|n\\1|load1|1700000000000"));
        assertThat(id("job_info", "GSI|77")).isEqualTo(idsBefore.get("job_info:77"));
        // the same key the services compute now
        assertThat(DatasetCatalog.builtIn().get("metrics").dedupKey("CERN", Map.of("farm", "CERN",
                "cluster", "ALICE|CE", "node", "n\\1", "parameter", "load1", "timestamp", 1_700_000_000_000L)))
                .isEqualTo("CERN|CERN|ALICE\\|CE|n\\\\1|load1|1700000000000");
    }

    @Test
    void theOrderFieldValueIsFilledInFromThePayload() {
        assertThat(orderedAt("trace", "CERN|424242")).isEqualTo(1_716_999_000_500L);
        assertThat(orderedAt("trace", "FZK|424243")).isNull();
        assertThat(orderedAt("job_info", "GSI|77")).isEqualTo(1_716_999_000_900L);
        assertThat(orderedAt("jdl", "CERN|88")).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.records WHERE kafka_partition IS NOT NULL "
                + "OR kafka_offset IS NOT NULL", Long.class)).isZero();
    }

    @Test
    void ofOldRowsThatMeetUnderOneKeyTheNewestStays() {
        // by order value, although it was received earlier
        assertThat(id("trace", "CNAF|555")).isEqualTo(idsBefore.get("trace:555"));
        assertThat(orderedAt("trace", "CNAF|555")).isEqualTo(1_716_999_000_200L);
        // no order field: by receive time
        assertThat(id("metrics", "SARA|SARA|c|n|p|1700000000000"))
                .isEqualTo(idsBefore.get("metrics:SARA|c|n|p|1700000000000.0"));
        assertThat(jdbc.queryForObject("SELECT payload::jsonb->>'value' FROM staging.records WHERE dataset = "
                + "'metrics' AND dedup_key = 'SARA|SARA|c|n|p|1700000000000'", String.class)).isEqualTo("2.5");
    }

    @Test
    void rowsOfDatasetsOutsideTheCatalogAreLeftAlone() {
        assertThat(jdbc.queryForList("SELECT dedup_key FROM staging.records WHERE dataset = 'alarms'", String.class))
                .containsExactly("a-1");
    }

    @Test
    @Order(Integer.MAX_VALUE) // changes a row the other tests look at
    void newRecordsMeetTheReKeyedRowsByTheUpdateRule() throws Exception {
        new DeadLetterSchema(postgres.lakehouse()); // schema ingest: the figures a write adds to (issue #18)
        StagingWriter writer = new StagingWriter(postgres.lakehouse(), null);
        long id = id("trace", "CERN|424242");
        BatchOutcome older = writer.write(List.of(new StagedRow("trace", "CERN|424242", "CERN", 1_717_000_000_000L,
                "{\"late\":true}".getBytes(), 1_716_999_000_400L, 0, 1L)));
        assertThat(older.staleByDataset()).isEqualTo(Map.of("trace", 1L));
        assertThat(id("trace", "CERN|424242")).isEqualTo(id);

        BatchOutcome newer = writer.write(List.of(new StagedRow("trace", "CERN|424242", "CERN", 1_717_000_000_000L,
                "{\"newer\":true}".getBytes(), 1_716_999_000_600L, 0, 2L)));
        assertThat(newer.updatedByDataset()).isEqualTo(Map.of("trace", 1L));
        assertThat(id("trace", "CERN|424242")).isGreaterThan(id);
        assertThat(keysOf("trace")).hasSize(3);
    }

    private static List<String> keysOf(String dataset) {
        return jdbc.queryForList("SELECT dedup_key FROM staging.records WHERE dataset = ?", String.class, dataset);
    }

    private static long id(String dataset, String key) {
        return jdbc.queryForObject("SELECT id FROM staging.records WHERE dataset = ? AND dedup_key = ?", Long.class,
                dataset, key);
    }

    private static Long orderedAt(String dataset, String key) {
        Timestamp t = jdbc.queryForObject("SELECT ordered_at FROM staging.records WHERE dataset = ? AND dedup_key = ?",
                Timestamp.class, dataset, key);
        return t == null ? null : t.getTime();
    }
}

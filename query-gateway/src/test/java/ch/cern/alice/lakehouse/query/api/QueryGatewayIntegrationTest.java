package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.testsupport.EndlessQuery;
import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import ch.cern.alice.lakehouse.query.testsupport.TraceData;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
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

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway against real Trino 476 + Delta on S3Proxy + Postgres: a trace table with two Delta versions is
 * written through Trino, registered through the API, then queried, paged, time-travelled, exported and cancelled.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryGatewayIntegrationTest {

    private static final List<TraceData.Row> FIRST = TraceData.generate(TraceData.FIRST_BATCH, 1_000_000, 42);
    private static final List<TraceData.Row> SECOND = TraceData.generate(TraceData.SECOND_BATCH, 2_000_000, 43);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    @BeforeAll
    static void writeTrace() throws Exception {
        try (Connection trino = TestLake.get().trinoConnection()) {
            TraceData.writeDeltaTable(trino, TestLake.BUCKET, FIRST, SECOND);
        }
    }

    GatewayClient viewer() {
        return new GatewayClient(port, "viewer", "v-pw");
    }

    GatewayClient researcher() {
        return new GatewayClient(port, "researcher", "r-pw");
    }

    GatewayClient admin() {
        return new GatewayClient(port, "admin", "a-pw");
    }

    JsonNode run(GatewayClient client, Map<String, Object> body) {
        GatewayClient.Response submitted = client.post("/api/v1/queries", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode done = client.awaitDone(submitted.json().get("id").asString());
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
        return done;
    }

    @Test
    @Order(1)
    void refreshRegistersTheDeltaTablesFoundInTheBucket() {
        assertThat(viewer().post("/api/v1/catalog/refresh", null).status()).isEqualTo(403);
        assertThat(researcher().post("/api/v1/catalog/refresh", null).status()).isEqualTo(403);

        GatewayClient.Response first = admin().post("/api/v1/catalog/refresh", null);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("registered").toString()).contains("\"trace\"");
        assertThat(first.json().get("absent").toString()).contains("job_info", "jdl", "metrics");

        GatewayClient.Response again = admin().post("/api/v1/catalog/refresh", null);
        assertThat(again.json().get("registered").size()).isZero();
        assertThat(again.json().get("refreshed").toString()).contains("\"trace\"");
    }

    @Test
    @Order(2)
    void cpuEfficiencyPerSitePerMonthMatchesTheData() {
        JsonNode result = run(researcher(), Map.of("sql", """
                SELECT site, year, month, count(*) AS jobs,
                       sum(cputime) / sum(walltime) AS cpu_eff, avg(cpuefficiency) AS avg_eff
                FROM trace GROUP BY site, year, month ORDER BY site, year, month"""));

        Map<String, long[]> expectedCounts = new TreeMap<>();
        Map<String, double[]> expectedSums = new HashMap<>();
        for (TraceData.Row r : all()) {
            String key = r.site() + "/" + r.year() + "/" + r.month();
            expectedCounts.computeIfAbsent(key, k -> new long[1])[0]++;
            double[] sums = expectedSums.computeIfAbsent(key, k -> new double[2]);
            sums[0] += r.cputime();
            sums[1] += r.walltime();
        }
        JsonNode rows = result.get("rows");
        assertThat(rows.size()).isEqualTo(expectedCounts.size());
        assertThat(result.get("columns").get(3).get("name").asString()).isEqualTo("jobs");
        for (JsonNode row : rows) {
            String key = row.get(0).asString() + "/" + row.get(1).asLong() + "/" + row.get(2).asLong();
            assertThat(row.get(3).asLong()).as(key).isEqualTo(expectedCounts.get(key)[0]);
            double[] sums = expectedSums.get(key);
            assertThat(row.get(4).asDouble()).as(key).isCloseTo(sums[0] / sums[1], within(1e-9));
        }
        assertThat(result.get("progress").get("processedRows").asLong()).isEqualTo(all().size());
        assertThat(result.get("progress").get("percent").asDouble()).isEqualTo(100.0);
    }

    @Test
    @Order(3)
    void keepsAtMostMaxRowsAndPagesThem() {
        JsonNode result = run(researcher(), Map.of("sql", "SELECT job_id FROM trace ORDER BY job_id",
                "maxRows", 250));
        assertThat(result.get("rowCount").asInt()).isEqualTo(250);
        assertThat(result.get("truncated").asBoolean()).isTrue();
        assertThat(result.get("rows").size()).isEqualTo(100); // first page in the status

        String id = result.get("id").asString();
        JsonNode page2 = researcher().get("/api/v1/queries/" + id + "/results?page=2&size=100").json();
        assertThat(page2.get("rows").size()).isEqualTo(50);
        assertThat(page2.get("rows").get(0).get(0).asLong()).isEqualTo(FIRST.get(200).jobId());

        assertThat(new GatewayClient(port, "other", "o-pw").get("/api/v1/queries/" + id).status())
                .as("other users do not see the query").isEqualTo(404);
    }

    @Test
    @Order(4)
    void refVersionReadsTheOlderDeltaVersion() {
        JsonNode latest = run(researcher(), Map.of("sql", "SELECT count(*) FROM trace"));
        assertThat(latest.get("rows").get(0).get(0).asLong()).isEqualTo(FIRST.size() + SECOND.size());

        JsonNode v1 = run(researcher(), Map.of("sql",
                "WITH t AS (SELECT * FROM lakehouse.trace) SELECT count(*) FROM t", "ref", "v:1"));
        assertThat(v1.get("rows").get(0).get(0).asLong()).isEqualTo(FIRST.size());
        assertThat(v1.get("executedSql").asString()).contains("FOR VERSION AS OF 1");

        JsonNode v0 = run(researcher(), Map.of("sql",
                "SELECT (SELECT count(*) FROM trace) AS n", "ref", "v:0"));
        assertThat(v0.get("rows").get(0).get(0).asLong()).isZero();

        GatewayClient.Response badRef = researcher().post("/api/v1/queries",
                Map.of("sql", "SELECT 1", "ref", "v:abc"));
        assertThat(badRef.status()).isEqualTo(400);
        assertThat(badRef.json().get("detail").asString()).contains("v:abc");
    }

    @Test
    @Order(5)
    void researchersCannotWrite() {
        Map<String, String> rejected = Map.of(
                "INSERT INTO trace (job_id) VALUES (1)", "INSERT",
                "CREATE TABLE x (a int)", "CREATE TABLE",
                "DROP TABLE trace", "DROP TABLE",
                "CALL delta.system.flush_metadata_cache()", "CALL",
                "DELETE FROM trace", "DELETE",
                "SET SESSION query_max_run_time = '1h'", "SET SESSION");
        rejected.forEach((sql, kind) -> {
            GatewayClient.Response r = researcher().post("/api/v1/queries", Map.of("sql", sql));
            assertThat(r.status()).as(sql).isEqualTo(400);
            assertThat(r.json().get("detail").asString()).as(sql).startsWith(kind + " statements are not allowed");
        });
        GatewayClient.Response two = researcher().post("/api/v1/queries",
                Map.of("sql", "SELECT 1; DROP TABLE trace"));
        assertThat(two.status()).isEqualTo(400);
        assertThat(two.json().get("detail").asString()).contains("multiple statements");
        GatewayClient.Response syntax = researcher().post("/api/v1/queries", Map.of("sql", "SELEC 1"));
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.json().get("detail").asString()).contains("syntax error");

        assertThat(viewer().post("/api/v1/queries", Map.of("sql", "SELECT 1")).status())
                .as("viewers only run saved queries").isEqualTo(403);
    }

    @Test
    @Order(6)
    void cancelKillsTheQueryInTrino() throws Exception {
        GatewayClient.Response submitted = researcher().post("/api/v1/queries", Map.of("sql", EndlessQuery.SQL));
        String id = submitted.json().get("id").asString();
        JsonNode running = researcher().awaitQuery(id, Duration.ofSeconds(60),
                q -> q.get("status").asString().equals("RUNNING") && q.hasNonNull("trinoQueryId"));
        String trinoId = running.get("trinoQueryId").asString();

        assertThat(researcher().delete("/api/v1/queries/" + id).status()).isEqualTo(202);
        JsonNode cancelled = researcher().awaitDone(id);
        assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");

        String trinoState = null;
        for (int i = 0; i < 100 && !"FAILED".equals(trinoState); i++) {
            try (Connection c = TestLake.get().trinoConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT state, error_code FROM system.runtime.queries WHERE query_id = ?")) {
                ps.setString(1, trinoId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    trinoState = rs.getString(1);
                    if ("FAILED".equals(trinoState)) {
                        assertThat(rs.getString(2)).isEqualTo("USER_CANCELED");
                    }
                }
            }
            Thread.sleep(100);
        }
        assertThat(trinoState).isEqualTo("FAILED");
    }

    @Test
    @Order(7)
    void exportsCsvAndParquetFromAStreamedRerun() throws Exception {
        JsonNode result = run(researcher(), Map.of("sql",
                "SELECT site, count(*) AS jobs, max(maxrss) AS peak, avg(cputime) AS cpu FROM trace "
                        + "GROUP BY site ORDER BY site", "maxRows", 1));
        assertThat(result.get("truncated").asBoolean()).isTrue();
        String id = result.get("id").asString();
        Map<String, Long> expected = new TreeMap<>();
        for (TraceData.Row r : all()) {
            expected.merge(r.site(), 1L, Long::sum);
        }

        GatewayClient.Response csv = researcher().get("/api/v1/queries/" + id + "/export?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("site,jobs,peak,cpu");
        Map<String, Long> fromCsv = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            fromCsv.put(cells[0], Long.parseLong(cells[1]));
        }
        assertThat(fromCsv).isEqualTo(expected);

        GatewayClient.Response parquet = researcher().get("/api/v1/queries/" + id + "/export?format=parquet");
        assertThat(parquet.status()).isEqualTo(200);
        Map<String, Long> fromParquet = new TreeMap<>();
        for (Group g : ParquetRows.read(parquet.bytes()).rows()) {
            fromParquet.put(g.getString("site", 0), g.getLong("jobs", 0));
        }
        assertThat(fromParquet).isEqualTo(expected);

        assertThat(researcher().get("/api/v1/queries/" + id + "/export?format=xlsx").status()).isEqualTo(400);
    }

    @Test
    @Order(8)
    void savedQueriesBindTypedParametersAndViewersRunThem() {
        Map<String, Object> definition = Map.of(
                "name", "jobs at site in month",
                "description", "job count of one site in one month",
                "sql", "SELECT count(*) FROM trace WHERE site = :site AND month = {{month}} -- :notaparam",
                "parameters", List.of(
                        Map.of("name", "site", "type", "STRING"),
                        Map.of("name", "month", "type", "BIGINT", "defaultValue", "2")));
        assertThat(viewer().post("/api/v1/saved-queries", definition).status()).isEqualTo(403);
        GatewayClient.Response created = researcher().post("/api/v1/saved-queries", definition);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long savedId = created.json().get("id").asLong();
        GatewayClient.Response sameName = researcher().post("/api/v1/saved-queries", definition);
        assertThat(sameName.status()).as(sameName.body()).isEqualTo(400);
        assertThat(sameName.json().get("detail").asString()).contains("exists already");

        GatewayClient.Response started = viewer().post("/api/v1/saved-queries/" + savedId + "/run",
                Map.of("parameters", Map.of("site", "CERN")));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode done = viewer().awaitDone(started.json().get("id").asString());
        long expected = all().stream().filter(r -> r.site().equals("CERN") && r.month() == 2).count();
        assertThat(done.get("rows").get(0).get(0).asLong()).isEqualTo(expected);
        assertThat(done.get("executedSql").asString()).contains("site = 'CERN'", "month = 2");

        GatewayClient.Response injection = viewer().post("/api/v1/saved-queries/" + savedId + "/run",
                Map.of("parameters", Map.of("site", "x' OR '1'='1", "month", "1")));
        JsonNode quoted = viewer().awaitDone(injection.json().get("id").asString());
        assertThat(quoted.get("rows").get(0).get(0).asLong()).isZero();

        GatewayClient.Response badType = viewer().post("/api/v1/saved-queries/" + savedId + "/run",
                Map.of("parameters", Map.of("site", "CERN", "month", "1 OR 1=1")));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("detail").asString()).contains("month", "not an integer");

        GatewayClient.Response missing = viewer().post("/api/v1/saved-queries/" + savedId + "/run", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asString()).contains("'site' is required");

        GatewayClient.Response writing = researcher().post("/api/v1/saved-queries", Map.of("name", "evil",
                "sql", "DROP TABLE trace"));
        assertThat(writing.status()).isEqualTo(400);

        assertThat(viewer().get("/api/v1/saved-queries").json().toString()).contains("jobs at site in month");
    }

    @Test
    @Order(9)
    void historyListsTheUsersOwnQueries() {
        JsonNode history = researcher().get("/api/v1/queries/history?size=100").json();
        // accepted queries are recorded (refused ones got their 400 and never ran): 7 by the tests above
        assertThat(history.get("total").asLong()).isGreaterThanOrEqualTo(7);
        List<String> statuses = new ArrayList<>();
        for (JsonNode item : history.get("items")) {
            assertThat(item.get("user").asString()).isEqualTo("researcher");
            statuses.add(item.get("status").asString());
        }
        assertThat(statuses).contains("FINISHED", "CANCELLED");
        // newest first, and a page is the matching slice of that order
        List<String> ids = new ArrayList<>();
        String previous = null;
        for (JsonNode item : history.get("items")) {
            ids.add(item.get("id").asString());
            String createdAt = item.get("createdAt").asString();
            if (previous != null) {
                assertThat(Instant.parse(createdAt)).isBeforeOrEqualTo(Instant.parse(previous));
            }
            previous = createdAt;
        }
        JsonNode second = researcher().get("/api/v1/queries/history?page=1&size=2").json();
        assertThat(second.get("total").asLong()).isEqualTo(history.get("total").asLong());
        List<String> secondIds = new ArrayList<>();
        second.get("items").forEach(item -> secondIds.add(item.get("id").asString()));
        assertThat(secondIds).isEqualTo(ids.subList(2, 4));
        JsonNode pinned = null;
        for (JsonNode item : history.get("items")) {
            if (item.get("status").asString().equals("FINISHED") && item.get("ref").asString("").equals("v:1")) {
                pinned = item;
            }
        }
        assertThat(pinned).isNotNull();
        assertThat(pinned.get("executedSql").asString()).contains("FOR VERSION AS OF 1");
        assertThat(pinned.get("rowCount").asLong()).isEqualTo(1);
        assertThat(pinned.get("durationMs").asLong()).isPositive();

        JsonNode viewerHistory = viewer().get("/api/v1/queries/history").json();
        for (JsonNode item : viewerHistory.get("items")) {
            assertThat(item.get("user").asString()).isEqualTo("viewer");
        }
    }

    @Test
    @Order(10)
    void catalogShowsTablesColumnsPartitionsAndRowCounts() {
        JsonNode catalog = viewer().get("/api/v1/catalog").json();
        assertThat(catalog.get("catalog").asString()).isEqualTo("delta");
        JsonNode trace = null;
        for (JsonNode schema : catalog.get("schemas")) {
            if (schema.get("name").asString().equals("lakehouse")) {
                for (JsonNode table : schema.get("tables")) {
                    if (table.get("name").asString().equals("trace")) {
                        trace = table;
                    }
                }
            }
        }
        assertThat(trace).as(catalog.toString()).isNotNull();
        assertThat(trace.get("rowCount").asLong()).isEqualTo(all().size());
        Map<String, Boolean> partitionKeys = new TreeMap<>();
        for (JsonNode col : trace.get("columns")) {
            partitionKeys.put(col.get("name").asString(), col.get("partitionKey").asBoolean());
        }
        assertThat(partitionKeys).containsEntry("year", true).containsEntry("month", true)
                .containsEntry("site", false).containsKey("finaltimestamp");
    }

    @Test
    @Order(11)
    void parquetExportKeepsTimestampDateDecimalAndNumericTypes() throws Exception {
        JsonNode result = run(researcher(), Map.of("sql", """
                SELECT job_id, site, walltime, finaltimestamp,
                       CAST(finaltimestamp AT TIME ZONE 'UTC' AS TIMESTAMP(6)) AS utc_wall_clock,
                       CAST(finaltimestamp AT TIME ZONE 'UTC' AS DATE) AS utc_day,
                       CAST(cputime AS DECIMAL(12, 1)) AS cpu_decimal,
                       -CAST(maxrss AS DECIMAL(38, 2)) AS negative_wide_decimal,
                       CAST(cpuefficiency AS REAL) AS efficiency_real,
                       CAST(NULL AS DATE) AS no_day
                FROM trace ORDER BY job_id LIMIT 20"""));
        GatewayClient.Response parquet = researcher().get("/api/v1/queries/" + result.get("id").asString()
                + "/export?format=parquet");
        assertThat(parquet.status()).isEqualTo(200);
        ParquetRows exported = ParquetRows.read(parquet.bytes());

        MessageType schema = exported.schema();
        assertThat(schema.getType("job_id").asPrimitiveType().getPrimitiveTypeName())
                .isEqualTo(PrimitiveType.PrimitiveTypeName.INT64);
        assertThat(schema.getType("walltime").asPrimitiveType().getPrimitiveTypeName())
                .isEqualTo(PrimitiveType.PrimitiveTypeName.INT32);
        assertThat(schema.getType("finaltimestamp").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
        assertThat(schema.getType("utc_wall_clock").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS));
        assertThat(schema.getType("utc_day").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.dateType());
        assertThat(schema.getType("no_day").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.dateType());
        assertThat(schema.getType("cpu_decimal").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.decimalType(1, 12));
        assertThat(schema.getType("negative_wide_decimal").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.decimalType(2, 38));
        assertThat(schema.getType("efficiency_real").asPrimitiveType().getPrimitiveTypeName())
                .isEqualTo(PrimitiveType.PrimitiveTypeName.FLOAT);
        assertThat(schema.getType("site").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.stringType());

        List<TraceData.Row> expected = all().stream()
                .sorted(java.util.Comparator.comparingLong(TraceData.Row::jobId)).limit(20).toList();
        assertThat(exported.rows()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            TraceData.Row r = expected.get(i);
            Group g = exported.rows().get(i);
            long micros = r.finaltimestamp().getEpochSecond() * 1_000_000L;
            assertThat(g.getLong("job_id", 0)).isEqualTo(r.jobId());
            assertThat(g.getString("site", 0)).isEqualTo(r.site());
            assertThat(g.getInteger("walltime", 0)).isEqualTo(r.walltime());
            assertThat(g.getLong("finaltimestamp", 0)).isEqualTo(micros);
            assertThat(g.getLong("utc_wall_clock", 0)).isEqualTo(micros);
            assertThat(g.getInteger("utc_day", 0))
                    .isEqualTo((int) r.finaltimestamp().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay());
            assertThat(g.getLong("cpu_decimal", 0)).isEqualTo(Math.round(r.cputime() * 10));
            assertThat(new BigInteger(g.getBinary("negative_wide_decimal", 0).getBytes()))
                    .isEqualTo(BigInteger.valueOf(-r.maxrss() * 100));
            assertThat(g.getFloat("efficiency_real", 0)).isEqualTo((float) r.cpuefficiency());
            assertThat(g.getFieldRepetitionCount("no_day")).isZero();
        }
    }

    /** An exported Parquet file read back with parquet-hadoop. */
    private record ParquetRows(MessageType schema, List<Group> rows) {
        static ParquetRows read(byte[] bytes) throws java.io.IOException {
            Path file = Files.createTempFile("export-", ".parquet");
            try {
                Files.write(file, bytes);
                try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                    List<Group> rows = new ArrayList<>();
                    PageReadStore pages;
                    while ((pages = reader.readNextRowGroup()) != null) {
                        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                                .getRecordReader(pages, new GroupRecordConverter(schema));
                        for (long i = 0; i < pages.getRowCount(); i++) {
                            rows.add(records.read());
                        }
                    }
                    return new ParquetRows(schema, rows);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static List<TraceData.Row> all() {
        List<TraceData.Row> all = new ArrayList<>(FIRST);
        all.addAll(SECOND);
        return all;
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }
}

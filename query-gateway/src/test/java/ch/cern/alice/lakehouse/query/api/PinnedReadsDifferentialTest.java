package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.StatementGuard;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.sql.TimeTravelRewriter;
import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Differential test of pinned reads against real Trino 476 over Delta on S3Proxy: for each of 55 query shapes
 * (CTEs reusing table names, nested and recursive WITH, scalar/IN/EXISTS/quantified subqueries, LATERAL, joins, set
 * operations, UNNEST, MATCH_RECOGNIZE, quoted, mixed-case and qualified names, branch tables) the gateway's rewrite
 * at an older version returns exactly what the same query written by hand with {@code FOR VERSION AS OF} returns,
 * and something else than the unpinned query (the data change between versions in every table a shape reads), so
 * a table left unpinned would show.
 * <p>
 * Tables of its own, in schemas no other test uses (the gateway's lake schema is {@value #SCHEMA} here):
 * {@code trace} versions 1/2/3 hold 6/10/13 rows, {@code job_info} versions 1/2 hold 4/12 rows and the branch table
 * {@code branch_diff.eff} versions 1/2 hold 2/5 rows. Two refs: {@code v:1} through the gateway's HTTP API, and a
 * commit's per-table map (trace 2, job_info 1, branch_diff.eff 1) through the gateway's rewriter on Trino directly
 * (a commit ref needs versioning-service, which this module's tests do not run).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lakehouse.trino.schema=" + PinnedReadsDifferentialTest.SCHEMA)
class PinnedReadsDifferentialTest {

    static final String SCHEMA = "pinned_diff";
    private static final String BRANCH_TABLE = "branch_diff.eff";
    private static final Map<String, Long> COMMIT = Map.of("trace", 2L, "job_info", 1L, BRANCH_TABLE, 1L);
    private static final Pattern MARKER = Pattern.compile("\\{([tje])(?:\\|([^}]*))?}");

    /**
     * A query shape: {@code {t}}, {@code {j}}, {@code {e}} mark a read of trace, job_info and branch_diff.eff
     * ({@code {t|"Trace"}}: written as {@code "Trace"}).
     */
    record Shape(String name, String template) {
        String plain() {
            return fill(key -> -1);
        }

        String handWritten(ToLongFunction<String> version) {
            return fill(version);
        }

        int reads() {
            return (int) MARKER.matcher(template).results().count();
        }

        private String fill(ToLongFunction<String> version) {
            Matcher m = MARKER.matcher(template);
            StringBuilder sql = new StringBuilder();
            while (m.find()) {
                String key = switch (m.group(1)) {
                    case "t" -> "trace";
                    case "j" -> "job_info";
                    default -> BRANCH_TABLE;
                };
                String text = m.group(2) == null ? key : m.group(2);
                long v = version.applyAsLong(key);
                m.appendReplacement(sql, Matcher.quoteReplacement(v < 0 ? text : text + " FOR VERSION AS OF " + v));
            }
            m.appendTail(sql);
            return sql.toString();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Shape> shapes() {
        return List.of(
                new Shape("plain count", "SELECT count(*) FROM {t}"),
                new Shape("aliased aggregate", "SELECT count(*), sum(t.cputime) FROM {t} t"),
                new Shape("issue #12: CTE named like the table it reads",
                        "WITH trace AS (SELECT * FROM {t}) SELECT count(*) FROM trace"),
                new Shape("CTE named like the table, filtered",
                        "WITH trace AS (SELECT * FROM {t} WHERE site = 'CERN') SELECT count(*), sum(cputime) FROM trace"),
                new Shape("a later CTE shadows the table an earlier one read",
                        "WITH a AS (SELECT job_id FROM {t}), trace AS (SELECT * FROM a) SELECT count(*) FROM trace"),
                new Shape("CTE joining a CTE and a table", "WITH j AS (SELECT * FROM {j}), t AS (SELECT t.job_id "
                        + "FROM {t} t JOIN j ON t.job_id = j.job_id) SELECT count(*) FROM t"),
                new Shape("nested WITH inside a CTE",
                        "WITH t AS (WITH trace AS (SELECT * FROM {t}) SELECT * FROM trace) SELECT count(*) FROM t"),
                new Shape("WITH in a scalar subquery shadows only there", "SELECT (WITH trace AS (SELECT * FROM {j}) "
                        + "SELECT count(*) FROM trace) AS a, (SELECT count(*) FROM {t}) AS b"),
                new Shape("CTE shadows the unqualified name, the qualified name is the table",
                        "WITH job_info AS (SELECT * FROM {t}) SELECT (SELECT count(*) FROM job_info), "
                                + "(SELECT count(*) FROM {j|pinned_diff.job_info})"),
                new Shape("recursive CTE anchored on a table", "WITH RECURSIVE r(n) AS (SELECT count(*) / 4 FROM {t} "
                        + "UNION ALL SELECT n - 1 FROM r WHERE n > 0) SELECT count(*), sum(n) FROM r"),
                new Shape("scalar subqueries of two tables",
                        "SELECT (SELECT count(*) FROM {t}) + 100 * (SELECT count(*) FROM {j})"),
                new Shape("IN subquery", "SELECT count(*) FROM {j} WHERE job_id IN (SELECT job_id FROM {t})"),
                new Shape("NOT IN subquery", "SELECT count(*) FROM {j} WHERE job_id NOT IN (SELECT job_id FROM {t})"),
                new Shape("correlated EXISTS", "SELECT count(*) FROM {j} j WHERE EXISTS "
                        + "(SELECT 1 FROM {t} t WHERE t.job_id = j.job_id)"),
                new Shape("correlated NOT EXISTS", "SELECT t.job_id FROM {t} t WHERE NOT EXISTS "
                        + "(SELECT 1 FROM {j} j WHERE j.job_id = t.job_id)"),
                new Shape("quantified comparison", "SELECT count(*) FROM {t} WHERE cputime > ALL "
                        + "(SELECT cputime FROM {t} WHERE site = 'FZK')"),
                new Shape("comma LATERAL", "SELECT count(*) FROM {j} j, LATERAL (SELECT * FROM {t} t "
                        + "WHERE t.site = j.site)"),
                new Shape("CROSS JOIN LATERAL with an aggregate", "SELECT j.job_id, x.c FROM {j} j CROSS JOIN LATERAL "
                        + "(SELECT count(*) AS c FROM {t} t WHERE t.site = j.site) x"),
                new Shape("inner join", "SELECT count(*) FROM {t} t JOIN {j} j ON t.job_id = j.job_id"),
                new Shape("left join", "SELECT count(*), count(j.job_id) FROM {t} t LEFT JOIN {j} j "
                        + "ON t.job_id = j.job_id"),
                new Shape("right join", "SELECT count(*), count(t.job_id) FROM {t} t RIGHT JOIN {j} j "
                        + "ON t.job_id = j.job_id"),
                new Shape("full join", "SELECT count(*) FROM {t} t FULL JOIN {j} j ON t.job_id = j.job_id"),
                new Shape("self join", "SELECT count(*) FROM {t} a JOIN {t} b ON a.site = b.site"),
                new Shape("join USING", "SELECT count(*) FROM {t} JOIN {j} USING (job_id, site)"),
                new Shape("implicit join", "SELECT count(*) FROM {t} t, {j} j WHERE t.job_id = j.job_id "
                        + "AND j.status = 'DONE'"),
                new Shape("UNION ALL", "SELECT count(*) FROM (SELECT job_id FROM {t} UNION ALL "
                        + "SELECT job_id FROM {j})"),
                new Shape("UNION", "SELECT count(*) FROM (SELECT site FROM {t} UNION SELECT site FROM {j})"),
                new Shape("INTERSECT", "SELECT job_id FROM {t} INTERSECT SELECT job_id FROM {j}"),
                new Shape("EXCEPT", "SELECT job_id FROM {j} EXCEPT SELECT job_id FROM {t}"),
                new Shape("UNNEST", "SELECT count(*) FROM {t} CROSS JOIN UNNEST(tags) AS u(tag)"),
                new Shape("UNNEST grouped", "SELECT u.tag, count(*) FROM {t} t, UNNEST(t.tags) AS u(tag) "
                        + "GROUP BY u.tag"),
                new Shape("UNNEST WITH ORDINALITY", "SELECT sum(u.n) FROM {t} t CROSS JOIN UNNEST(t.tags) "
                        + "WITH ORDINALITY AS u(tag, n)"),
                new Shape("UNNEST of a subquery's array", "SELECT count(*), sum(id) FROM "
                        + "UNNEST((SELECT array_agg(job_id) FROM {t})) AS u(id)"),
                new Shape("quoted name", "SELECT count(*) FROM {t|\"trace\"}"),
                new Shape("mixed-case quoted name", "SELECT count(*) FROM {t|\"Trace\"}"),
                new Shape("mixed-case name", "SELECT count(*) FROM {t|TrAcE}"),
                new Shape("schema-qualified name", "SELECT count(*) FROM {t|pinned_diff.trace}"),
                new Shape("catalog-qualified name", "SELECT count(*) FROM {t|delta.pinned_diff.trace}"),
                new Shape("quoted upper-case qualified name",
                        "SELECT count(*) FROM {t|\"DELTA\".\"Pinned_Diff\".\"TRACE\"}"),
                new Shape("branch table", "SELECT sum(jobs) FROM {e}"),
                new Shape("catalog-qualified branch table joined with a lake table",
                        "SELECT count(*) FROM {t} t JOIN {e|delta.branch_diff.eff} e ON t.site = e.site"),
                new Shape("CTE named like a branch table",
                        "WITH eff AS (SELECT * FROM {e}) SELECT count(*), sum(jobs) FROM eff"),
                new Shape("HAVING with a subquery", "SELECT site, count(*) FROM {t} GROUP BY site "
                        + "HAVING count(*) >= (SELECT count(*) FROM {j}) / 4"),
                new Shape("ORDER BY LIMIT", "SELECT job_id FROM {t} ORDER BY job_id DESC LIMIT 3"),
                new Shape("window function", "SELECT job_id, rank() OVER (PARTITION BY site ORDER BY cputime DESC) "
                        + "FROM {t}"),
                new Shape("FILTER with an IN subquery", "SELECT count(*) FILTER (WHERE job_id IN "
                        + "(SELECT job_id FROM {j})) FROM {t}"),
                new Shape("CASE on a scalar subquery", "SELECT CASE WHEN (SELECT count(*) FROM {t}) > 11 "
                        + "THEN 'many' ELSE 'few' END"),
                new Shape("VALUES left-joined to a table", "SELECT v.x, count(t.job_id) FROM (VALUES 'CERN', 'GSI') "
                        + "v(x) LEFT JOIN {t} t ON t.site = v.x GROUP BY v.x"),
                new Shape("TABLESAMPLE", "SELECT count(*) FROM {t} TABLESAMPLE BERNOULLI (100)"),
                new Shape("MATCH_RECOGNIZE input", "SELECT count(*) FROM {t} MATCH_RECOGNIZE (ORDER BY job_id "
                        + "MEASURES A.job_id AS id ONE ROW PER MATCH PATTERN (A) DEFINE A AS true)"),
                new Shape("derived table", "SELECT count(*) FROM (SELECT * FROM {t} WHERE cputime > 25) x"),
                new Shape("subquery in a JOIN condition", "SELECT count(*) FROM {j} j JOIN (VALUES 1) v(x) "
                        + "ON j.job_id <= (SELECT count(*) FROM {t})"),
                new Shape("TABLE of a CTE", "WITH t AS (SELECT job_id FROM {t}) TABLE t"),
                new Shape("EXISTS over a subquery whose WITH shadows the outer table",
                        "SELECT count(*) FROM {j} WHERE EXISTS (WITH job_info AS (SELECT * FROM {t} "
                                + "WHERE site = 'GSI') SELECT 1 FROM job_info)"),
                new Shape("lambda over a subquery's array", "SELECT cardinality(filter((SELECT array_agg(job_id) "
                        + "FROM {t}), x -> x > 4))"));
    }

    private final StatementGuard guard = new StatementGuard();
    private final TimeTravelRewriter rewriter = new TimeTravelRewriter("delta", SCHEMA, n -> !n.contains("$"));

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    ch.cern.alice.lakehouse.query.catalog.CatalogService catalogService;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    @BeforeAll
    static void versionedTables() throws SQLException {
        String trace = "delta." + SCHEMA + ".trace";
        String jobInfo = "delta." + SCHEMA + ".job_info";
        String eff = "delta." + BRANCH_TABLE;
        try (Connection c = TestLake.get().trinoConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA delta." + SCHEMA);
            st.execute("CREATE SCHEMA delta.branch_diff");
            st.execute("CREATE TABLE " + trace + " (job_id BIGINT, site VARCHAR, cputime DOUBLE, "
                    + "tags ARRAY(VARCHAR)) WITH (location = 's3://" + TestLake.BUCKET + "/" + SCHEMA + "/trace')");
            st.execute("INSERT INTO " + trace + " VALUES (1, 'CERN', 10.0, ARRAY['a', 'b']), "
                    + "(2, 'CERN', 20.0, ARRAY['a']), (3, 'FZK', 30.0, ARRAY['b']), "
                    + "(4, 'FZK', 40.0, CAST(ARRAY[] AS ARRAY(VARCHAR))), (5, 'CNAF', 50.0, ARRAY['c']), "
                    + "(6, 'CERN', 60.0, ARRAY['a', 'c'])");
            st.execute("INSERT INTO " + trace + " VALUES (7, 'CERN', 70.0, ARRAY['d']), "
                    + "(8, 'KISTI', 80.0, ARRAY['a']), (9, 'FZK', 90.0, ARRAY['b', 'd']), "
                    + "(10, 'CNAF', 100.0, ARRAY['e'])");
            st.execute("INSERT INTO " + trace + " VALUES (11, 'GSI', 110.0, ARRAY['f']), "
                    + "(12, 'CERN', 120.0, ARRAY['a']), (13, 'FZK', 130.0, ARRAY['g', 'a', 'b'])");
            st.execute("CREATE TABLE " + jobInfo + " (job_id BIGINT, site VARCHAR, status VARCHAR) WITH (location = "
                    + "'s3://" + TestLake.BUCKET + "/" + SCHEMA + "/job_info')");
            st.execute("INSERT INTO " + jobInfo + " VALUES (1, 'CERN', 'DONE'), (3, 'FZK', 'DONE'), "
                    + "(5, 'CNAF', 'ERROR_E'), (20, 'CERN', 'RUNNING')");
            st.execute("INSERT INTO " + jobInfo + " VALUES (2, 'CERN', 'DONE'), (4, 'FZK', 'DONE'), "
                    + "(6, 'CERN', 'DONE'), (7, 'CERN', 'RUNNING'), (8, 'KISTI', 'DONE'), (11, 'GSI', 'DONE'), "
                    + "(12, 'CERN', 'DONE'), (21, 'GSI', 'WAITING')");
            st.execute("CREATE TABLE " + eff + " (site VARCHAR, jobs BIGINT) WITH (location = 's3://"
                    + TestLake.BUCKET + "/branch_diff/eff')");
            st.execute("INSERT INTO " + eff + " VALUES ('CERN', 3), ('FZK', 2)");
            st.execute("INSERT INTO " + eff + " VALUES ('CNAF', 1), ('KISTI', 1), ('GSI', 1)");
        }
    }

    @Test
    void theShapesAreEnoughAndTheTablesHaveTheVersionsTheyNeed() throws SQLException {
        assertThat(shapes()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(shapes().stream().filter(s -> s.template().startsWith("WITH trace AS (SELECT * FROM {t})")))
                .as("the issue's case").hasSize(1);
        assertThat(jdbcRows("SELECT count(*) FROM trace FOR VERSION AS OF 1")).containsExactly("[6]");
        assertThat(jdbcRows("SELECT count(*) FROM trace FOR VERSION AS OF 2")).containsExactly("[10]");
        assertThat(jdbcRows("SELECT count(*) FROM trace")).containsExactly("[13]");
        assertThat(jdbcRows("SELECT count(*) FROM job_info FOR VERSION AS OF 1")).containsExactly("[4]");
        assertThat(jdbcRows("SELECT count(*) FROM job_info")).containsExactly("[12]");
        assertThat(jdbcRows("SELECT count(*) FROM branch_diff.eff FOR VERSION AS OF 1")).containsExactly("[2]");
        assertThat(jdbcRows("SELECT count(*) FROM branch_diff.eff")).containsExactly("[5]");
    }

    /** Through the HTTP API at ref {@code v:1}, as a researcher sends it. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("shapes")
    void atRefV1TheGatewayReturnsWhatForVersionAsOfWrittenByHandReturns(Shape shape) {
        GatewayClient researcher = new GatewayClient(port, "researcher", "r-pw");
        JsonNode pinned = run(researcher, shape.plain(), "v:1");
        JsonNode byHand = run(researcher, shape.handWritten(table -> 1), null);
        JsonNode latest = run(researcher, shape.plain(), null);

        String executed = pinned.get("executedSql").asString();
        assertThat(executed.split("FOR VERSION AS OF 1", -1)).as(executed).hasSize(shape.reads() + 1);
        assertThat(rows(pinned)).as(shape.plain()).isEqualTo(rows(byHand));
        assertThat(rows(pinned)).as("pinned and latest differ: " + shape.plain()).isNotEqualTo(rows(latest));
    }

    /** The rewrite at a commit's per-table versions, run on Trino. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("shapes")
    void atACommitTheRewriteReturnsWhatPerTableForVersionAsOfWrittenByHandReturns(Shape shape) throws SQLException {
        String rewritten = rewriter.rewrite(guard.parse(shape.plain()), new TableVersions.PerTable(COMMIT));
        assertThat(rewritten.split("FOR VERSION AS OF", -1)).as(rewritten).hasSize(shape.reads() + 1);
        List<String> pinned = jdbcRows(rewritten);
        assertThat(pinned).as(rewritten).isEqualTo(jdbcRows(shape.handWritten(COMMIT::get)));
        assertThat(pinned).as("pinned and latest differ: " + rewritten).isNotEqualTo(jdbcRows(shape.plain()));
    }

    /** A commit that does not pin job_info: every shape reading it is refused, none reads its latest version. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("shapes")
    void aTableTheCommitDoesNotPinIsRefused(Shape shape) {
        TableVersions withoutJobInfo = new TableVersions.PerTable(Map.of("trace", 2L, BRANCH_TABLE, 1L));
        if (shape.template().contains("{j")) {
            assertThatThrownBy(() -> rewriter.rewrite(guard.parse(shape.plain()), withoutJobInfo))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("job_info is not part of this ref")
                    .hasMessageContaining("it pins branch_diff.eff, trace");
        } else {
            assertThat(rewriter.rewrite(guard.parse(shape.plain()), withoutJobInfo)).contains("FOR VERSION AS OF");
        }
    }

    /**
     * The catalog lists what a ref reads, with that ref's row counts: the lake's schema first, a branch schema only
     * at a commit pinning its tables (issue #18: Explore offered other researchers' branch tables at main).
     */
    @Test
    void theCatalogListsWhatTheRefReadsWithItsRowCounts() throws SQLException {
        GatewayClient researcher = new GatewayClient(port, "researcher", "r-pw");
        JsonNode latest = researcher.get("/api/v1/catalog").json();
        assertThat(latest.get("ref").isNull()).isTrue();
        assertThat(schemaNames(latest)).startsWith(SCHEMA).doesNotContain("branch_diff");
        assertThat(rowCounts(latest, SCHEMA)).containsEntry("trace", 13L).containsEntry("job_info", 12L);

        JsonNode atV1 = researcher.get("/api/v1/catalog?ref=v:1").json();
        assertThat(atV1.get("ref").asString()).isEqualTo("v:1");
        assertThat(schemaNames(atV1)).startsWith(SCHEMA).doesNotContain("branch_diff");
        assertThat(rowCounts(atV1, SCHEMA)).containsEntry("trace", 6L).containsEntry("job_info", 4L);

        GatewayClient.Response unknown = researcher.get("/api/v1/catalog?ref=no-such-ref");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown ref 'no-such-ref'");

        JsonNode atCommit = json(catalogService.browse("researcher", new TableVersions.PerTable(COMMIT), "c1"));
        assertThat(schemaNames(atCommit)).containsExactly(SCHEMA, "branch_diff");
        assertThat(rowCounts(atCommit, SCHEMA)).containsExactly(Map.entry("trace", 10L), Map.entry("job_info", 4L));
        assertThat(rowCounts(atCommit, "branch_diff")).containsExactly(Map.entry("eff", 2L));

        JsonNode withoutBranch = json(catalogService.browse("researcher",
                new TableVersions.PerTable(Map.of("trace", 3L)), "c2"));
        assertThat(schemaNames(withoutBranch)).containsExactly(SCHEMA);
        assertThat(rowCounts(withoutBranch, SCHEMA)).containsExactly(Map.entry("trace", 13L));
    }

    private static JsonNode json(Object value) {
        return tools.jackson.databind.json.JsonMapper.builder().build().valueToTree(value);
    }

    private static List<String> schemaNames(JsonNode catalog) {
        List<String> names = new ArrayList<>();
        catalog.get("schemas").forEach(s -> names.add(s.get("name").asString()));
        return names;
    }

    /** Table -> row count of one schema, in the catalog's order. */
    private static Map<String, Long> rowCounts(JsonNode catalog, String schema) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        catalog.get("schemas").forEach(s -> {
            if (s.get("name").asString().equals(schema)) {
                s.get("tables").forEach(t -> counts.put(t.get("name").asString(), t.get("rowCount").asLong(-1)));
            }
        });
        return counts;
    }

    private static JsonNode run(GatewayClient client, String sql, String ref) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("sql", sql);
        body.put("ref", ref);
        GatewayClient.Response submitted = client.post("/api/v1/queries", body);
        assertThat(submitted.status()).as(sql + " -> " + submitted.body()).isEqualTo(202);
        JsonNode done = client.awaitDone(submitted.json().get("id").asString());
        assertThat(done.get("status").asString()).as(sql + " -> " + done).isEqualTo("FINISHED");
        assertThat(done.get("truncated").asBoolean()).isFalse();
        return done;
    }

    /** The rows as text, sorted: the shapes' row order is not part of what is compared. */
    private static List<String> rows(JsonNode query) {
        List<String> rows = new ArrayList<>();
        query.get("rows").forEach(row -> rows.add(row.toString()));
        return rows.stream().sorted().toList();
    }

    private static List<String> jdbcRows(String sql) throws SQLException {
        try (Connection c = TestLake.get().trinoConnection()) {
            c.setCatalog("delta");
            c.setSchema(SCHEMA);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
                return rows.stream().sorted().toList();
            }
        }
    }
}

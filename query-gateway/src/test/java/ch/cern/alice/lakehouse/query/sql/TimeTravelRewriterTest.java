package ch.cern.alice.lakehouse.query.sql;

import ch.cern.alice.lakehouse.query.sql.TableVersions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeTravelRewriterTest {

    private final StatementGuard guard = new StatementGuard();
    private final TimeTravelRewriter rewriter = new TimeTravelRewriter("delta", "lakehouse", n -> !n.contains("$"));

    private String rewrite(String sql, TableVersions versions) {
        return rewriter.rewrite(guard.parse(sql), versions).replaceAll("\\s+", " ");
    }

    @Test
    void pinsEveryLakeTableIncludingSubqueriesAndJoins() {
        String sql = rewrite("SELECT t.site FROM trace t JOIN delta.lakehouse.job_info j ON t.job_id = j.job_id "
                + "WHERE t.job_id IN (SELECT job_id FROM lakehouse.jdl)", new TableVersions.AllTables(3));
        assertThat(sql).contains("trace FOR VERSION AS OF 3 t", "delta.lakehouse.job_info FOR VERSION AS OF 3 j",
                "lakehouse.jdl FOR VERSION AS OF 3");
    }

    @Test
    void leavesCtesOtherCatalogsAndMetadataTablesAlone() {
        String sql = rewrite("WITH trace AS (SELECT * FROM lakehouse.trace) SELECT * FROM trace "
                + "UNION ALL SELECT * FROM tpch.tiny.nation UNION ALL SELECT * FROM \"trace$history\"",
                new TableVersions.AllTables(1));
        assertThat(sql).contains("lakehouse.trace FOR VERSION AS OF 1", "FROM trace UNION",
                "tpch.tiny.nation UNION", "\"trace$history\"");
        assertThat(sql.split("FOR VERSION AS OF", -1)).hasSize(2);
    }

    @Test
    void perTableVersionsPinOnlyTheTablesOfTheCommit() {
        String sql = rewrite("SELECT * FROM trace, job_info",
                new TableVersions.PerTable(Map.of("trace", 7L, "job_info", 3L, "jdl", 1L)));
        assertThat(sql).contains("trace FOR VERSION AS OF 7", "job_info FOR VERSION AS OF 3");
    }

    @Test
    void timestampRefsUseForTimestampAsOf() {
        String sql = rewrite("SELECT count(*) FROM trace",
                new TableVersions.AtTimestamp(Instant.parse("2026-01-02T03:04:05Z")));
        assertThat(sql).contains("trace FOR TIMESTAMP AS OF TIMESTAMP '2026-01-02 03:04:05.000 UTC'");
    }

    @Test
    void branchTablesArePinnedAtTheVersionTheirCommitHolds() {
        TableVersions branchHead = new TableVersions.PerTable(Map.of("trace", 7L, "branch_exp_1.eff", 2L));
        String sql = rewrite("SELECT * FROM branch_exp_1.eff e JOIN delta.branch_exp_1.eff f ON e.site = f.site",
                branchHead);
        assertThat(sql).contains("branch_exp_1.eff FOR VERSION AS OF 2 e",
                "delta.branch_exp_1.eff FOR VERSION AS OF 2 f");
    }

    @Test
    void anUnqualifiedNameReadsTheOnlyBranchTableOfThatName() {
        TableVersions branchHead = new TableVersions.PerTable(Map.of("trace", 7L, "branch_exp_1.eff", 2L));
        String sql = rewrite("SELECT e.site FROM eff e JOIN trace t ON e.site = t.site", branchHead);
        assertThat(sql).contains("FROM (delta.branch_exp_1.eff FOR VERSION AS OF 2 e",
                "JOIN trace FOR VERSION AS OF 7 t");
        assertThat(rewrite("WITH eff AS (SELECT 1 AS a) SELECT * FROM eff", branchHead))
                .as("a CTE still shadows it").doesNotContain("branch_exp_1");
    }

    @Test
    void anUnqualifiedNameOfTwoBranchTablesIsAmbiguous() {
        TableVersions merged = new TableVersions.PerTable(Map.of("branch_a.eff", 1L, "branch_b.eff", 0L));
        assertThatThrownBy(() -> rewrite("SELECT * FROM eff", merged)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("ambiguous").hasMessageContaining("branch_a.eff, branch_b.eff");
        assertThat(rewrite("SELECT * FROM branch_b.eff", merged)).contains("branch_b.eff FOR VERSION AS OF 0");
    }

    @Test
    void aBranchTableTheRefDoesNotPinIsNotPartOfIt() {
        TableVersions main = new TableVersions.PerTable(Map.of("trace", 7L));
        assertThatThrownBy(() -> rewrite("SELECT * FROM branch_exp_1.eff", main))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("branch_exp_1.eff is not part of");
        assertThatThrownBy(() -> rewrite("SELECT * FROM eff", main)).as("unqualified: the lake schema, not pinned")
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("eff is not part of this ref")
                .hasMessageContaining("it pins trace");
        assertThat(rewrite("SELECT * FROM branch_exp_1.eff", new TableVersions.AllTables(4)))
                .contains("branch_exp_1.eff FOR VERSION AS OF 4");
        assertThat(rewrite("SELECT * FROM branch_exp_1.\"eff$history\"", main)).doesNotContain("FOR VERSION");
    }

    @Test
    void aCteNamedLikeATablePinsTheTableReadInItsOwnDefinition() {
        String sql = rewrite("WITH trace AS (SELECT * FROM trace) SELECT count(*) FROM trace",
                new TableVersions.PerTable(Map.of("trace", 5L)));
        assertThat(sql).isEqualTo("WITH trace AS ( SELECT * FROM trace FOR VERSION AS OF 5 ) SELECT count(*) "
                + "FROM trace ");
    }

    @Test
    void aCteIsVisibleToTheCtesAfterItAndToItsBodyOnly() {
        TableVersions v = new TableVersions.PerTable(Map.of("trace", 5L, "job_info", 2L));
        String sql = rewrite("WITH a AS (SELECT * FROM job_info), job_info AS (SELECT * FROM a JOIN job_info USING "
                + "(job_id)), trace AS (SELECT * FROM job_info) SELECT * FROM trace, (SELECT * FROM job_info) x", v);
        assertThat(sql.split("FOR VERSION AS OF", -1)).as(sql).hasSize(3);
        assertThat(sql).contains("a AS ( SELECT * FROM job_info FOR VERSION AS OF 2 )",
                "JOIN job_info FOR VERSION AS OF 2 USING", "trace AS ( SELECT * FROM job_info )");
    }

    @Test
    void nestedWithShadowsOnlyInsideItsOwnQuery() {
        TableVersions v = new TableVersions.PerTable(Map.of("trace", 5L));
        String sql = rewrite("SELECT (WITH trace AS (SELECT 1 AS x) SELECT count(*) FROM trace) AS inner_count, "
                + "(SELECT count(*) FROM trace) AS outer_count", v);
        assertThat(sql.split("FOR VERSION AS OF", -1)).as(sql).hasSize(2);
        assertThat(sql).contains("FROM trace FOR VERSION AS OF 5 ) outer_count");
        String outerCte = rewrite("WITH t AS (SELECT * FROM trace) SELECT * FROM t WHERE EXISTS "
                + "(WITH trace AS (SELECT * FROM t) SELECT 1 FROM trace)", v);
        assertThat(outerCte.split("FOR VERSION AS OF", -1)).as(outerCte).hasSize(2);
    }

    @Test
    void aRecursiveWithSeesItselfInItsDefinition() {
        String sql = rewrite("WITH RECURSIVE trace(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM trace WHERE n < 3) "
                + "SELECT * FROM trace, lakehouse.trace", new TableVersions.AllTables(1));
        assertThat(sql.split("FOR VERSION AS OF", -1)).as(sql).hasSize(2);
        assertThat(sql).contains("lakehouse.trace FOR VERSION AS OF 1");
    }

    @Test
    void pinsTablesInEveryKindOfSubqueryAndRelation() {
        TableVersions v = new TableVersions.AllTables(2);
        String[] shapes = {
                "SELECT (SELECT max(job_id) FROM trace) FROM job_info",
                "SELECT * FROM job_info WHERE job_id IN (SELECT job_id FROM trace)",
                "SELECT * FROM job_info j WHERE EXISTS (SELECT 1 FROM trace t WHERE t.job_id = j.job_id)",
                "SELECT * FROM job_info WHERE job_id > ALL (SELECT job_id FROM trace)",
                "SELECT * FROM job_info j, LATERAL (SELECT * FROM trace t WHERE t.job_id = j.job_id)",
                "SELECT * FROM job_info j CROSS JOIN UNNEST(ARRAY[(SELECT count(*) FROM trace)]) AS u(n)",
                "SELECT site FROM job_info UNION SELECT site FROM trace",
                "SELECT site FROM job_info INTERSECT SELECT site FROM trace EXCEPT SELECT 'x'",
                "SELECT * FROM job_info j LEFT JOIN (VALUES 1) t(x) ON t.x = (SELECT min(job_id) FROM trace)",
                "SELECT count(*) FILTER (WHERE job_id IN (SELECT job_id FROM trace)) FROM job_info",
                "SELECT * FROM job_info ORDER BY (SELECT count(*) FROM trace) LIMIT 1",
                "SELECT site, count(*) FROM job_info GROUP BY site HAVING count(*) > (SELECT count(*) FROM trace)",
                "SELECT * FROM job_info MATCH_RECOGNIZE (ORDER BY job_id MEASURES A.job_id AS id PATTERN (A) "
                        + "DEFINE A AS true) CROSS JOIN trace",
                "SELECT * FROM (VALUES 1) v(x) JOIN trace TABLESAMPLE BERNOULLI (50) ON true JOIN job_info ON true",
                "EXPLAIN SELECT * FROM trace, job_info",
                "SHOW STATS FOR (SELECT * FROM trace JOIN job_info USING (job_id))"};
        for (String shape : shapes) {
            String sql = rewrite(shape, v);
            assertThat(sql.split("FOR VERSION AS OF 2", -1)).as(shape + " -> " + sql).hasSize(3);
        }
    }

    @Test
    void quotedMixedCaseAndQualifiedNamesAreTheSameTable() {
        TableVersions v = new TableVersions.PerTable(Map.of("trace", 5L, "branch_x.eff", 1L));
        String sql = rewrite("SELECT * FROM \"Trace\", TRACE, delta.lakehouse.trace, \"DELTA\".\"LAKEHOUSE\".\"TRACE\", "
                + "Lakehouse.Trace, Branch_X.EFF, delta.\"branch_x\".\"Eff\"", v);
        assertThat(sql.split("FOR VERSION AS OF 5", -1)).as(sql).hasSize(6);
        assertThat(sql.split("FOR VERSION AS OF 1", -1)).as(sql).hasSize(3);
        assertThat(rewrite("WITH \"TRACE\" AS (SELECT 1 AS x) SELECT * FROM trace", v))
                .as("CTE names are case-insensitive too").doesNotContain("FOR VERSION");
    }

    @Test
    void aLakeTableTheRefDoesNotPinIsRefusedWithoutTouchingTheStatement() {
        TableVersions main = new TableVersions.PerTable(Map.of("trace", 7L));
        for (String sql : new String[]{"SELECT * FROM trace JOIN job_info USING (job_id)",
                "WITH job_info AS (SELECT * FROM job_info) SELECT * FROM trace",
                "SELECT * FROM trace WHERE job_id IN (SELECT job_id FROM delta.lakehouse.job_info)",
                "SELECT * FROM trace, delta.other_schema.trace"}) {
            io.trino.sql.tree.Statement statement = guard.parse(sql);
            String before = io.trino.sql.SqlFormatter.formatSql(statement);
            assertThatThrownBy(() -> rewriter.rewrite(statement, main)).as(sql)
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("is not part of this ref")
                    .hasMessageContaining("it pins trace");
            assertThat(io.trino.sql.SqlFormatter.formatSql(statement)).as("nothing pinned").isEqualTo(before);
        }
        assertThat(rewrite("SELECT * FROM delta.other_schema.trace", new TableVersions.AllTables(3)))
                .as("v: pins any Delta table").contains("other_schema.trace FOR VERSION AS OF 3");
        assertThat(rewrite("SELECT * FROM information_schema.tables, system.runtime.queries, tpch.tiny.nation", main))
                .doesNotContain("FOR VERSION");
    }

    @Test
    void tablesThatCannotCarryAVersionAreRefusedAtARef() {
        TableVersions v = new TableVersions.AllTables(1);
        assertThatThrownBy(() -> rewrite("SHOW STATS FOR trace", v)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("SHOW STATS FOR (SELECT * FROM trace)");
        assertThatThrownBy(() -> rewrite("SELECT * FROM TABLE(exclude_columns(input => TABLE(trace), "
                + "columns => DESCRIPTOR(site)))", v)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("TABLE(SELECT * FROM trace)");
        for (String sql : new String[]{"TABLE trace", "SELECT * FROM job_info UNION TABLE trace",
                "TABLE lakehouse.trace EXCEPT SELECT * FROM job_info", "MERGE INTO job_info USING trace "
                + "ON job_info.job_id = trace.job_id WHEN MATCHED THEN DELETE"}) {
            assertThatThrownBy(() -> rewrite(sql, v)).as(sql).isInstanceOf(InvalidQueryException.class)
                    .hasMessageContaining("write SELECT * FROM");
        }
        assertThat(rewrite("WITH t AS (SELECT * FROM trace) TABLE t", v)).as("TABLE of a CTE")
                .contains("trace FOR VERSION AS OF 1");
        assertThat(rewrite("SELECT * FROM TABLE(exclude_columns(input => TABLE(SELECT * FROM trace), "
                + "columns => DESCRIPTOR(site)))", v)).contains("trace FOR VERSION AS OF 1");
    }

    @Test
    void theTableAWriteWritesIsNotPinnedButItsReadsAre() {
        TableVersions v = new TableVersions.AllTables(4);
        assertThat(rewrite("INSERT INTO job_info SELECT * FROM trace", v))
                .startsWith("INSERT INTO job_info SELECT * FROM trace FOR VERSION AS OF 4");
        assertThat(rewrite("DELETE FROM job_info WHERE job_id IN (SELECT job_id FROM trace)", v))
                .startsWith("DELETE FROM job_info WHERE").contains("trace FOR VERSION AS OF 4")
                .doesNotContain("job_info FOR");
        assertThat(rewrite("UPDATE job_info SET site = (SELECT max(site) FROM trace)", v))
                .contains("trace FOR VERSION AS OF 4").doesNotContain("job_info FOR");
        assertThat(rewrite("MERGE INTO job_info j USING trace t ON j.job_id = t.job_id WHEN MATCHED THEN DELETE",
                v)).contains("USING trace FOR VERSION AS OF 4").doesNotContain("job_info FOR");
    }

    @Test
    void withSessionIsRefusedForEveryoneButAdmins() {
        io.trino.sql.tree.Statement statement = guard.parse(
                "WITH SESSION query_max_execution_time = '10d' SELECT count(*) FROM trace");
        assertThatThrownBy(() -> guard.requireAllowed(statement, false)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("WITH SESSION is not allowed");
        guard.requireAllowed(statement, true);
    }

    @Test
    void refusesARefOnATableThatIsAlreadyPinned() {
        assertThatThrownBy(() -> rewrite("SELECT * FROM trace FOR VERSION AS OF 2",
                new TableVersions.AllTables(1))).isInstanceOf(InvalidQueryException.class);
    }
}

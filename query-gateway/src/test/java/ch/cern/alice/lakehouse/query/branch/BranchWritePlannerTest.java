package ch.cern.alice.lakehouse.query.branch;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.StatementGuard;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.sql.TimeTravelRewriter;
import io.trino.sql.tree.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Branch work at parser level: which statements, where they may write, and the SQL Trino gets. No Trino here. */
class BranchWritePlannerTest {

    private static final String LOCATION = "s3://lakehouse/branch_exp_1/eff";
    /** Head of branch exp-1: trace from ETL, and the derived table eff made on the branch before. */
    private static final Map<String, Long> HEAD = Map.of("trace", 3L, "job_info", 1L, "branch_exp_1.eff", 2L);

    private final StatementGuard guard = new StatementGuard();
    private final BranchWritePlanner planner = new BranchWritePlanner("delta", "lakehouse",
            Set.of("trace", "job_info", "jdl", "metrics"),
            new TimeTravelRewriter("delta", "lakehouse", name -> !name.contains("$")));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE TABLE x AS SELECT 1 AS a | CREATE_TABLE_AS",
            "CREATE OR REPLACE TABLE x AS SELECT 1 AS a | CREATE_TABLE_AS",
            "INSERT INTO x SELECT 1 | INSERT",
            "DELETE FROM x WHERE a = 1 | DELETE",
            "DROP TABLE x | DROP_TABLE"})
    void classifiesTheWritesOfBranchWork(String sql, WriteKind kind) {
        assertThat(WriteKind.of(guard.parse(sql))).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "CREATE TABLE x (a int)", "UPDATE x SET a = 1", "ALTER TABLE x ADD COLUMN b int",
            "MERGE INTO x USING y ON x.a = y.a WHEN MATCHED THEN DELETE", "CALL delta.system.vacuum('a', 'b', '7d')",
            "TRUNCATE TABLE x", "DROP SCHEMA x"})
    void otherStatementsAreNotBranchWork(String sql) {
        assertThat(WriteKind.of(guard.parse(sql))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE eff2 AS SELECT 1 AS a", "CREATE TABLE branch_exp_1.eff2 AS SELECT 1 AS a",
            "CREATE TABLE delta.branch_exp_1.eff2 AS SELECT 1 AS a", "CREATE TABLE \"EFF2\" AS SELECT 1 AS a"})
    void targetsGoToTheBranchSchema(String sql) {
        BranchWriteTarget target = target(sql);
        assertThat(target.schema()).isEqualTo("branch_exp_1");
        assertThat(target.table()).isEqualTo("eff2");
        assertThat(target.key()).isEqualTo("branch_exp_1.eff2");
        assertThat(target.path()).isEqualTo("branch_exp_1/eff2");
        assertThat(target.pinnedVersion()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE lakehouse.eff2 AS SELECT 1 AS a", "INSERT INTO delta.lakehouse.trace SELECT * "
            + "FROM trace", "DELETE FROM lakehouse.trace", "DROP TABLE lakehouse.trace", "INSERT INTO trace SELECT * "
            + "FROM trace", "DELETE FROM job_info", "DROP TABLE trace"})
    void theLakesTablesAreForbidden(String sql) {
        assertThatThrownBy(() -> target(sql)).isInstanceOf(WriteForbiddenException.class)
                .hasMessageContaining("written by ETL runs only").hasMessageContaining("branch_exp_1");
    }

    @Test
    void anotherBranchsSchemaIsForbidden() {
        assertThatThrownBy(() -> target("CREATE TABLE branch_other.eff AS SELECT 1 AS a"))
                .isInstanceOf(WriteForbiddenException.class).hasMessageContaining("belongs to another branch");
    }

    @Test
    void otherCatalogsAndSchemasAreRefused() {
        assertThatThrownBy(() -> target("CREATE TABLE memory.branch_exp_1.eff2 AS SELECT 1 AS a"))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("delta catalog only");
        assertThatThrownBy(() -> target("CREATE TABLE scratch.eff2 AS SELECT 1 AS a"))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("go to schema branch_exp_1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE trace AS SELECT 1 AS a", "CREATE TABLE branch_exp_1.metrics AS SELECT 1 AS a"})
    void aDatasetNameCannotNameADerivedTable(String sql) {
        assertThatThrownBy(() -> target(sql)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("name of a lake table");
    }

    @Test
    void aLakeTableOfTheHeadCannotNameADerivedTableEither() {
        assertThatThrownBy(() -> planner.target(guard.parse("CREATE TABLE trace_daily_site AS SELECT 1 AS a"),
                WriteKind.CREATE_TABLE_AS, "exp-1", Map.of("trace_daily_site", 4L)))
                .hasMessageContaining("name of a lake table");
    }

    @Test
    void createTableOfATableOnTheBranchIsAConflictUnlessReplacing() {
        assertThatThrownBy(() -> target("CREATE TABLE eff AS SELECT 1 AS a"))
                .isInstanceOf(BranchWriteConflictException.class).hasMessageContaining("already on branch 'exp-1'")
                .hasMessageContaining("version 2");
        assertThat(target("CREATE OR REPLACE TABLE eff AS SELECT 1 AS a").pinnedVersion()).isEqualTo(2L);
        assertThatThrownBy(() -> target("CREATE TABLE IF NOT EXISTS eff2 AS SELECT 1 AS a"))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("IF NOT EXISTS");
        assertThatThrownBy(() -> target("CREATE TABLE eff2 WITH (location = 's3://x/y') AS SELECT 1 AS a"))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("do not set a location");
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO eff2 SELECT 1", "DELETE FROM eff2", "DROP TABLE eff2",
            "DROP TABLE IF EXISTS eff2"})
    void insertDeleteAndDropNeedTheTableOnTheBranch(String sql) {
        assertThatThrownBy(() -> target(sql)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("not on branch 'exp-1'");
    }

    @Test
    void insertDeleteAndDropOfATableOnTheBranchKnowItsPinnedVersion() {
        assertThat(target("INSERT INTO eff SELECT 1").pinnedVersion()).isEqualTo(2L);
        assertThat(target("DROP TABLE branch_exp_1.eff").pinnedVersion()).isEqualTo(2L);
    }

    @Test
    void createTableAsPinsItsReadsAtTheHeadAndPlacesTheTable() {
        String sql = sql("CREATE TABLE eff2 AS SELECT t.site, avg(t.cputime) AS cpu FROM trace t "
                + "JOIN eff e ON e.site = t.site GROUP BY t.site", false);
        assertThat(sql).startsWith("CREATE TABLE delta.branch_exp_1.eff2 WITH ( location = '" + LOCATION
                .replace("eff", "eff2") + "' ) AS SELECT")
                .contains("FROM (trace FOR VERSION AS OF 3 t", "JOIN delta.branch_exp_1.eff FOR VERSION AS OF 2 e");
    }

    @Test
    void createTableAsOfATableDroppedBeforeReplacesItAsANewVersion() {
        String sql = sql("CREATE TABLE eff2 WITH (partitioned_by = ARRAY['site']) AS SELECT site FROM trace", true);
        assertThat(sql).startsWith("CREATE OR REPLACE TABLE delta.branch_exp_1.eff2 WITH (")
                .contains("partitioned_by = ARRAY['site']", "location = 's3://lakehouse/branch_exp_1/eff2'",
                        "trace FOR VERSION AS OF 3");
    }

    @Test
    void insertPinsItsSelectButNotItsTarget() {
        String sql = sql("INSERT INTO eff (site, cpu) SELECT site, cputime FROM trace UNION ALL SELECT site, cpu "
                + "FROM eff", true);
        assertThat(sql).startsWith("INSERT INTO delta.branch_exp_1.eff (site, cpu)")
                .contains("trace FOR VERSION AS OF 3", "FROM delta.branch_exp_1.eff FOR VERSION AS OF 2");
        assertThat(sql.split("FOR VERSION AS OF", -1)).hasSize(3);
    }

    @Test
    void deletePinsTheSubqueriesOfItsWhereButNotItsTarget() {
        String sql = sql("DELETE FROM eff WHERE site IN (SELECT site FROM job_info WHERE status = 'ERROR_E')", true);
        assertThat(sql).startsWith("DELETE FROM delta.branch_exp_1.eff")
                .contains("FROM job_info FOR VERSION AS OF 1").doesNotContain("eff FOR VERSION");
    }

    @Test
    void dropTableRunsNothingInTrino() {
        assertThat(sql("DROP TABLE eff", true)).isNull();
    }

    private BranchWriteTarget target(String sql) {
        Statement statement = guard.parse(sql);
        return planner.target(statement, WriteKind.of(statement).orElseThrow(), "exp-1", HEAD);
    }

    private String sql(String sql, boolean existsInTrino) {
        Statement statement = guard.parse(sql);
        BranchWriteTarget target = planner.target(statement, WriteKind.of(statement).orElseThrow(), "exp-1", HEAD);
        String result = planner.sql(statement, target, new TableVersions.PerTable(HEAD), existsInTrino,
                "s3://lakehouse/" + target.path());
        return result == null ? null : result.replaceAll("\\s+", " ");
    }
}

package ch.cern.alice.lakehouse.query.sql;

import ch.cern.alice.lakehouse.query.ref.TableVersions;
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
        String sql = rewrite("SELECT * FROM trace, job_info", new TableVersions.PerTable(Map.of("trace", 7L)));
        assertThat(sql).contains("trace FOR VERSION AS OF 7").doesNotContain("job_info FOR");
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
        assertThat(rewrite("SELECT * FROM eff", main)).as("unqualified: the lake schema, unpinned as before")
                .isEqualTo("SELECT * FROM eff ");
        assertThat(rewrite("SELECT * FROM branch_exp_1.eff", new TableVersions.AllTables(4)))
                .contains("branch_exp_1.eff FOR VERSION AS OF 4");
        assertThat(rewrite("SELECT * FROM branch_exp_1.\"eff$history\"", main)).doesNotContain("FOR VERSION");
    }

    @Test
    void refusesARefOnATableThatIsAlreadyPinned() {
        assertThatThrownBy(() -> rewrite("SELECT * FROM trace FOR VERSION AS OF 2",
                new TableVersions.AllTables(1))).isInstanceOf(InvalidQueryException.class);
    }
}

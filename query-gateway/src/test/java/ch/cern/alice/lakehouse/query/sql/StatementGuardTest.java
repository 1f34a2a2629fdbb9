package ch.cern.alice.lakehouse.query.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementGuardTest {

    private final StatementGuard guard = new StatementGuard();

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "WITH t AS (SELECT 1 AS a) SELECT a FROM t", "VALUES 1, 2",
            "SHOW TABLES", "DESCRIBE trace", "EXPLAIN SELECT 1", "SHOW CREATE TABLE trace", "SELECT 1;",
            "SELECT ';' AS semi -- ; in a comment\n;"})
    void readsAreAllowed(String sql) {
        assertThat(guard.parseAllowed(sql, false)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO t VALUES 1", "CREATE TABLE t (a int)", "DROP TABLE t",
            "CALL delta.system.vacuum('a', 'b', '7d')", "SET SESSION a = 1", "EXPLAIN ANALYZE SELECT 1",
            "EXPLAIN INSERT INTO t VALUES 1", "ALTER TABLE t ADD COLUMN b int", "GRANT SELECT ON t TO u",
            "UPDATE t SET a = 1", "MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE"})
    void writesAndSessionChangesAreRefused(String sql) {
        assertThatThrownBy(() -> guard.parseAllowed(sql, false)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("statements are not allowed");
    }

    @Test
    void namesTheStatementKind() {
        assertThatThrownBy(() -> guard.parseAllowed("CREATE TABLE t (a int)", false))
                .hasMessageStartingWith("CREATE TABLE statements are not allowed");
        assertThatThrownBy(() -> guard.parseAllowed("CALL x.y()", false))
                .hasMessageStartingWith("CALL statements are not allowed")
                .hasMessageContaining("on a branch you own CREATE TABLE AS, INSERT, DELETE and DROP TABLE");
    }

    @Test
    void adminsMayWrite() {
        assertThat(guard.parseAllowed("DROP TABLE t", true)).isNotNull();
    }

    @Test
    void refusesMoreThanOneStatement() {
        assertThatThrownBy(() -> guard.parseAllowed("SELECT 1; SELECT 2", false))
                .hasMessageContaining("multiple statements");
    }

    @Test
    void reportsSyntaxErrorsWithTheirPosition() {
        assertThatThrownBy(() -> guard.parseAllowed("SELECT FROM WHERE", false))
                .hasMessageContaining("syntax error at line 1, column");
    }
}

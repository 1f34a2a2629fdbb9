package ch.cern.alice.lakehouse.query.sql;

import io.trino.grammar.sql.SqlBaseLexer;
import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.DescribeInput;
import io.trino.sql.tree.DescribeOutput;
import io.trino.sql.tree.Explain;
import io.trino.sql.tree.ExplainAnalyze;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.ShowCatalogs;
import io.trino.sql.tree.ShowColumns;
import io.trino.sql.tree.ShowCreate;
import io.trino.sql.tree.ShowFunctions;
import io.trino.sql.tree.ShowSchemas;
import io.trino.sql.tree.ShowSession;
import io.trino.sql.tree.ShowStats;
import io.trino.sql.tree.ShowTables;
import io.trino.sql.tree.Statement;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;

/**
 * Parses SQL with Trino's own parser and decides whether it may run: exactly one statement, and for non-admins only
 * reads (queries, SHOW, DESCRIBE, EXPLAIN). Anything else is refused naming the statement kind.
 */
@Component
public class StatementGuard {

    private static final Set<Class<? extends Statement>> READ_ONLY = Set.of(
            Query.class, ShowCatalogs.class, ShowSchemas.class, ShowTables.class, ShowColumns.class,
            ShowCreate.class, ShowFunctions.class, ShowStats.class, ShowSession.class,
            DescribeInput.class, DescribeOutput.class, Explain.class);

    private final SqlParser parser = new SqlParser();

    /** Parses a single statement; a trailing semicolon is allowed. */
    public Statement parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new InvalidQueryException("sql is empty");
        }
        String single = withoutTrailingSemicolons(sql);
        try {
            return parser.createStatement(single);
        } catch (ParsingException e) {
            throw new InvalidQueryException("SQL syntax error at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getErrorMessage());
        }
    }

    /** Parses and checks that the statement is a read; {@code mayWrite} (admins) lifts the read-only rule. */
    public Statement parseAllowed(String sql, boolean mayWrite) {
        Statement statement = parse(sql);
        requireAllowed(statement, mayWrite);
        return statement;
    }

    /** Refuses anything but a read unless {@code mayWrite} (admins); branch work is decided before this check. */
    public void requireAllowed(Statement statement, boolean mayWrite) {
        if (!mayWrite) {
            requireNoSessionProperties(statement);
        }
        if (!mayWrite && !isReadOnly(statement)) {
            throw new InvalidQueryException(describeKind(statement) + " statements are not allowed: only "
                    + "queries (SELECT, WITH, VALUES, TABLE), SHOW, DESCRIBE and EXPLAIN may be run, and on a "
                    + "branch you own CREATE TABLE AS, INSERT, DELETE and DROP TABLE of derived tables");
        }
    }

    /**
     * Refuses {@code WITH SESSION name = value} (Trino 474+): the gateway sets the session (query_max_execution_time,
     * catalog, schema) and a statement may not override it. Admins may (they may run SET SESSION too).
     */
    public void requireNoSessionProperties(Node node) {
        if (node instanceof Query query && !query.getSessionProperties().isEmpty()) {
            throw new InvalidQueryException("WITH SESSION is not allowed: the query gateway sets the session "
                    + "(time limit, catalog, schema); remove the WITH SESSION clause");
        }
        for (Node child : node.getChildren()) {
            requireNoSessionProperties(child);
        }
    }

    public static boolean isReadOnly(Statement statement) {
        if (statement instanceof ExplainAnalyze) {
            return false; // EXPLAIN ANALYZE executes its statement
        }
        if (statement instanceof Explain explain) {
            return isReadOnly(explain.getStatement());
        }
        return READ_ONLY.stream().anyMatch(type -> type.isInstance(statement));
    }

    /** "Insert", "CreateTable", "Call" ... -> "INSERT", "CREATE TABLE", "CALL". */
    static String describeKind(Statement statement) {
        return statement.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase();
    }

    /**
     * The statement without trailing semicolons; refuses more than one statement. Uses Trino's lexer so that
     * semicolons inside strings, quoted identifiers and comments do not count.
     */
    public static String withoutTrailingSemicolons(String sql) {
        SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        List<? extends Token> tokens = lexer.getAllTokens().stream()
                .filter(t -> t.getChannel() == Token.DEFAULT_CHANNEL).toList();
        int end = tokens.size();
        while (end > 0 && ";".equals(tokens.get(end - 1).getText())) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (";".equals(tokens.get(i).getText())) {
                throw new InvalidQueryException("multiple statements are not allowed: send one statement per query");
            }
        }
        return end == 0 ? "" : sql.substring(0, tokens.get(end - 1).getStopIndex() + 1);
    }
}

package ch.cern.alice.lakehouse.query.trino;

import java.sql.SQLException;
import java.sql.Statement;

/** SQL text the gateway writes itself, where JDBC parameters cannot be used. */
public final class TrinoSql {

    private TrinoSql() {
    }

    /** A quoted SQL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Makes an existing Delta table at {@code location} known to Trino. Procedures take no JDBC parameters; schema and
     * table are checked [a-z0-9_] names, every value goes in as a quoted literal.
     */
    public static void registerDeltaTable(Statement st, String catalog, String schema, String table, String location)
            throws SQLException {
        st.execute("CALL " + catalog + ".system.register_table(schema_name => " + literal(schema)
                + ", table_name => " + literal(table) + ", table_location => " + literal(location) + ")");
    }
}

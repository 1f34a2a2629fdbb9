package ch.cern.alice.lakehouse.query.trino;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/** Turns a JDBC cell into a JSON-friendly value: numbers and booleans stay typed, everything else is text. */
public final class JdbcValues {

    private JdbcValues() {
    }

    public static Object read(ResultSet rs, ResultSetMetaData meta, int column) throws SQLException {
        Object value = switch (meta.getColumnType(column)) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> rs.getLong(column);
            case Types.DOUBLE, Types.REAL, Types.FLOAT -> rs.getDouble(column);
            case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(column);
            case Types.BOOLEAN -> rs.getBoolean(column);
            default -> rs.getString(column);
        };
        return rs.wasNull() ? null : value;
    }
}

package ch.cern.alice.lakehouse.query.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * RFC 4180 CSV with a header line; NULL is an empty field.
 * <p>
 * Formula escaping (OWASP "CSV injection", on unless turned off): a text cell - and every header label - that starts
 * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a single quote ({@code '}) in
 * front, so a spreadsheet shows it as text instead of evaluating it. Cells of numeric, boolean, date and time columns
 * are never changed: {@code -2} in an INTEGER column stays {@code -2}. Every other type (VARCHAR, CHAR, JSON, arrays,
 * maps, rows, VARBINARY, UUID ...) is treated as text.
 */
public class CsvSink implements RowSink {

    private final OutputStream out;
    private final boolean formulaEscape;

    public CsvSink(OutputStream out) {
        this(out, true);
    }

    /** @param formulaEscape false writes text cells exactly as Trino returned them (the export's opt-out) */
    public CsvSink(OutputStream out, boolean formulaEscape) {
        this.out = out;
        this.formulaEscape = formulaEscape;
    }

    @Override
    public long write(ResultSet rs, long maxRows) throws SQLException, IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        boolean[] text = new boolean[n + 1];
        for (int c = 1; c <= n; c++) {
            text[c] = formulaEscape && !notText(meta.getColumnType(c));
            if (c > 1) {
                w.write(',');
            }
            String label = meta.getColumnLabel(c);
            w.write(escape(formulaEscape ? neutralize(label) : label));
        }
        w.write("\r\n");
        long rows = 0;
        while (rs.next()) {
            if (rows >= maxRows) {
                throw new ExportTooLargeException(maxRows);
            }
            for (int c = 1; c <= n; c++) {
                if (c > 1) {
                    w.write(',');
                }
                String v = rs.getString(c);
                if (v != null) {
                    w.write(escape(text[c] ? neutralize(v) : v));
                }
            }
            w.write("\r\n");
            rows++;
        }
        w.flush();
        return rows;
    }

    /** A value a spreadsheet would evaluate as a formula gets a leading single quote. */
    static String neutralize(String v) {
        if (v.isEmpty()) {
            return v;
        }
        char first = v.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + v : v;
    }

    /** Numbers, booleans, dates and times: their text is made by Trino, not by whoever wrote the data. */
    static boolean notText(int sqlType) {
        return switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
                 Types.DECIMAL, Types.NUMERIC, Types.BOOLEAN, Types.BIT, Types.DATE, Types.TIME,
                 Types.TIME_WITH_TIMEZONE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> true;
            default -> false;
        };
    }

    static String escape(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}

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

/** RFC 4180 CSV with a header line; NULL is an empty field. */
public class CsvSink implements RowSink {

    private final OutputStream out;

    public CsvSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public long write(ResultSet rs, long maxRows) throws SQLException, IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        for (int c = 1; c <= n; c++) {
            if (c > 1) {
                w.write(',');
            }
            w.write(escape(meta.getColumnLabel(c)));
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
                    w.write(escape(v));
                }
            }
            w.write("\r\n");
            rows++;
        }
        w.flush();
        return rows;
    }

    static String escape(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}

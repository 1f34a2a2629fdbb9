package ch.cern.alice.lakehouse.query.export;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Writes a result set row by row to a stream (the sink holds the current row; trino-jdbc reads up to 100 ahead). */
public interface RowSink {

    /**
     * @param maxRows rows the sink may write
     * @return rows written
     * @throws ExportTooLargeException when the result has more than {@code maxRows} rows
     */
    long write(ResultSet rs, long maxRows) throws SQLException, IOException;
}

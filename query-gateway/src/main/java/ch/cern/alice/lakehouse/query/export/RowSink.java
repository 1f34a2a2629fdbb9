package ch.cern.alice.lakehouse.query.export;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Writes a result set row by row to a stream, never holding more than the current row. */
public interface RowSink {

    /** @return rows written */
    long write(ResultSet rs) throws SQLException, IOException;
}

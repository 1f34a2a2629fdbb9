package ch.cern.alice.lakehouse.query.export;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Re-runs a finished query's executed SQL and streams all its rows (not capped by the kept-rows limit). */
@Component
public class QueryExporter {

    private final TrinoConnections connections;
    private final QueryProperties limits;

    public QueryExporter(TrinoConnections connections, QueryProperties limits) {
        this.connections = connections;
        this.limits = limits;
    }

    public long export(QueryExecution q, ExportFormat format, OutputStream out) throws IOException {
        try (Connection c = connections.open(q.user(), limits.timeout()); Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery(q.executedSql())) {
                RowSink sink = format == ExportFormat.CSV ? new CsvSink(out) : new ParquetSink(out);
                return sink.write(rs);
            }
        } catch (SQLException e) {
            throw new IOException("export of query " + q.id() + " failed: " + e.getMessage(), e);
        }
    }
}

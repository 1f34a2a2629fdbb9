package ch.cern.alice.lakehouse.query.export;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.QueryRegistry;
import ch.cern.alice.lakehouse.query.trino.TrinoCallException;
import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * Exports a finished read: runs the query's executed SQL again (the same pinned SQL as the original execution, so a
 * query at a ref exports exactly its result) and writes every row, not only the kept ones, to a spool file that the
 * response then streams. The export counts against the caller's concurrent-query limit while it runs on Trino and
 * holds at most {@code QUERY_EXPORT_MAX_ROWS} rows: over that, or when Trino fails, the caller gets a problem
 * answer instead of a cut-off file. Writes are never run again: the caller checks {@link QueryExecution#read()}.
 */
@Component
public class QueryExporter {

    private static final Logger log = LoggerFactory.getLogger(QueryExporter.class);

    private final TrinoConnections connections;
    private final QueryProperties limits;
    private final QueryRegistry registry;
    private final Path spoolDir;

    public QueryExporter(TrinoConnections connections, QueryProperties limits, QueryRegistry registry)
            throws IOException {
        this.connections = connections;
        this.limits = limits;
        this.registry = registry;
        this.spoolDir = Files.createTempDirectory("query-exports-");
    }

    /** An export written to its spool file; the one who streams it deletes it. */
    public record Spooled(Path file, long rows) {
        public long size() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void delete() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("could not delete export spool file {}", file, e);
            }
        }
    }

    /**
     * Runs the export of {@code q} for {@code caller}.
     *
     * @throws ch.cern.alice.lakehouse.query.domain.TooManyQueriesException the caller has no query slot left (429)
     * @throws ExportTooLargeException                                      more than the row cap (422)
     * @throws TrinoCallException                                           Trino failed (502)
     */
    public Spooled export(QueryExecution q, String caller, ExportFormat format) {
        return export(q, caller, format, true);
    }

    /** @param csvFormulaEscape CSV only: neutralize text cells a spreadsheet would run as formulas (see CsvSink) */
    public Spooled export(QueryExecution q, String caller, ExportFormat format, boolean csvFormulaEscape) {
        if (!q.read() || q.executedSql() == null) {
            throw new IllegalArgumentException("query " + q.id() + " is not a read");
        }
        Path file;
        try {
            file = Files.createTempFile(spoolDir, "query-" + q.id() + "-", "." + format.extension());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an export spool file in " + spoolDir, e);
        }
        boolean done = false;
        try (AutoCloseable slot = registry.startExport(caller, limits.maxConcurrentPerUser())) {
            long rows = write(q, format, file, csvFormulaEscape);
            done = true;
            return new Spooled(file, rows);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // the slot's close declares Exception; it throws none
            throw new IllegalStateException(e);
        } finally {
            if (!done) {
                new Spooled(file, 0).delete();
            }
        }
    }

    private long write(QueryExecution q, ExportFormat format, Path file, boolean csvFormulaEscape) {
        try (Connection c = connections.open(q.user(), limits.timeout()); Statement st = c.createStatement();
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            st.setFetchSize(10_000);
            st.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, limits.timeout().toSeconds() + 30));
            try (ResultSet rs = st.executeQuery(q.executedSql())) {
                RowSink sink = format == ExportFormat.CSV ? new CsvSink(out, csvFormulaEscape) : new ParquetSink(out);
                return sink.write(rs, limits.exportMaxRows());
            }
        } catch (OutOfMemoryError e) {
            throw ExportTooLargeException.tooWide();
        } catch (SQLException e) {
            throw new TrinoCallException("export of query " + q.id() + " failed in Trino", e);
        } catch (IOException e) {
            throw new UncheckedIOException("export of query " + q.id() + " could not be written to " + file, e);
        }
    }

    @PreDestroy
    void removeSpoolDir() {
        try (Stream<Path> files = Files.list(spoolDir)) {
            files.forEach(f -> new Spooled(f, 0).delete());
            Files.deleteIfExists(spoolDir);
        } catch (IOException e) {
            log.warn("could not remove the export spool directory {}", spoolDir, e);
        }
    }
}

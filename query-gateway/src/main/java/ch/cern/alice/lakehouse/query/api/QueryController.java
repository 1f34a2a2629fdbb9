package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.QueryNotFoundException;
import ch.cern.alice.lakehouse.query.domain.QueryRequest;
import ch.cern.alice.lakehouse.query.domain.QueryService;
import ch.cern.alice.lakehouse.query.domain.QueryStatus;
import ch.cern.alice.lakehouse.query.export.ExportFormat;
import ch.cern.alice.lakehouse.query.export.QueryExporter;
import ch.cern.alice.lakehouse.query.history.HistoryEntry;
import ch.cern.alice.lakehouse.query.history.QueryHistoryStore;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.support.security.Caller;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/v1/queries")
public class QueryController {

    private final QueryService queries;
    private final QueryHistoryStore history;
    private final QueryExporter exporter;
    private final QueryProperties limits;

    public QueryController(QueryService queries, QueryHistoryStore history, QueryExporter exporter,
                           QueryProperties limits) {
        this.queries = queries;
        this.history = history;
        this.exporter = exporter;
        this.limits = limits;
    }

    public record SubmitRequest(String sql, String ref, Integer maxRows) {
    }

    public record ResultsPage(int page, int size, int rowCount, boolean truncated, List<List<Object>> rows) {
    }

    public record HistoryPage(int page, int size, long total, List<HistoryEntry> items) {
    }

    @PostMapping
    @PreAuthorize("hasRole('RESEARCHER')")
    public ResponseEntity<Map<String, String>> submit(@RequestBody SubmitRequest body, Authentication auth,
                                                      @Parameter(hidden = true) @RequestHeader(
                                                              name = HttpHeaders.AUTHORIZATION, required = false)
                                                      String authorization) {
        if (body == null || body.sql() == null) {
            throw new InvalidQueryException("body must be {\"sql\": \"...\", \"ref\": ..., \"maxRows\": ...}");
        }
        Caller caller = Caller.of(auth);
        QueryExecution q = queries.submit(new QueryRequest(caller.name(), body.sql(), body.sql(), body.ref(),
                body.maxRows(), caller.isAdmin(), null), authorization);
        return ResponseEntity.accepted().body(Map.of("id", q.id(), "status", q.status().name()));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('VIEWER')")
    public QueryView status(@PathVariable String id, Authentication auth) {
        Caller caller = Caller.of(auth);
        return queries.find(id, caller.name(), caller.isAdmin()).map(q -> QueryView.of(q, limits.pageSize()))
                .or(() -> history.find(id).filter(h -> caller.isAdmin() || h.user().equals(caller.name()))
                        .map(QueryView::of))
                .orElseThrow(() -> new QueryNotFoundException("query " + id));
    }

    @GetMapping("/{id}/results")
    @PreAuthorize("hasRole('VIEWER')")
    public ResultsPage results(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
                               @RequestParam(required = false) Integer size, Authentication auth) {
        Caller caller = Caller.of(auth);
        QueryExecution q = queries.get(id, caller.name(), caller.isAdmin());
        int pageSize = size == null ? limits.pageSize() : size;
        if (page < 0 || pageSize < 1 || pageSize > 10_000) {
            throw new InvalidQueryException("page must be >= 0 and size between 1 and 10000");
        }
        return new ResultsPage(page, pageSize, q.rowCount(), q.truncated(),
                q.rows((int) Math.min(Integer.MAX_VALUE, (long) page * pageSize), pageSize));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('VIEWER')")
    public ResponseEntity<Map<String, String>> cancel(@PathVariable String id, Authentication auth) {
        Caller caller = Caller.of(auth);
        QueryExecution q = queries.cancel(id, caller.name(), caller.isAdmin());
        return ResponseEntity.accepted().body(Map.of("id", q.id(), "status", q.status().name()));
    }

    /**
     * Exports a finished read: the same pinned SQL again, every row (up to QUERY_EXPORT_MAX_ROWS), counted against the
     * caller's concurrent-query limit. 409 for a write (INSERT, CREATE TABLE AS, DELETE, DROP ...: running it again
     * would write again) and for a query that did not finish; nothing runs then.
     * <p>
     * CSV text cells starting with {@code = + - @}, tab or carriage return get a leading {@code '} (OWASP CSV
     * injection); {@code csvFormulaEscape=false} exports them raw. Numeric columns are never changed.
     */
    @GetMapping("/{id}/export")
    @PreAuthorize("hasRole('VIEWER')")
    public ResponseEntity<StreamingResponseBody> export(@PathVariable String id,
                                                        @RequestParam(defaultValue = "csv") String format,
                                                        @RequestParam(defaultValue = "true") boolean csvFormulaEscape,
                                                        Authentication auth) {
        Caller caller = Caller.of(auth);
        QueryExecution q = queries.get(id, caller.name(), caller.isAdmin());
        ExportFormat f = ExportFormat.parse(format);
        if (q.status() != QueryStatus.FINISHED) {
            throw new QueryNotExportableException("query " + id + " is " + q.status() + "; only FINISHED queries "
                    + "can be exported");
        }
        if (!q.read() || q.executedSql() == null) {
            throw new QueryNotExportableException("query " + id + " is a write, not a read: only reads can be "
                    + "exported, since an export runs the statement again; its outcome is in GET /api/v1/queries/"
                    + id);
        }
        QueryExporter.Spooled spooled = exporter.export(q, caller.name(), f, csvFormulaEscape);
        StreamingResponseBody body = out -> {
            try {
                java.nio.file.Files.copy(spooled.file(), out);
            } finally {
                spooled.delete();
            }
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(f.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"query-" + id + "." + f.extension() + "\"")
                .header("X-Row-Count", Long.toString(spooled.rows()))
                .contentLength(spooled.size())
                .body(body);
    }

    @GetMapping("/history")
    @PreAuthorize("hasRole('VIEWER')")
    public HistoryPage history(@RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "20") int size, Authentication auth) {
        if (page < 0 || size < 1 || size > 1000) {
            throw new InvalidQueryException("page must be >= 0 and size between 1 and 1000");
        }
        String user = auth.getName();
        return new HistoryPage(page, size, history.countOfUser(user), history.ofUser(user, page, size));
    }

    /** 409: the query cannot be exported in its current state. */
    public static class QueryNotExportableException extends RuntimeException {
        public QueryNotExportableException(String message) {
            super(message);
        }
    }

}

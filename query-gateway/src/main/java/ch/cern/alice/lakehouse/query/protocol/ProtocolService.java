package ch.cern.alice.lakehouse.query.protocol;

import ch.cern.alice.lakehouse.query.branch.BranchWriteConflictException;
import ch.cern.alice.lakehouse.query.branch.WriteForbiddenException;
import ch.cern.alice.lakehouse.query.config.ProtocolProperties;
import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.config.TrinoProperties;
import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.QueryRegistry;
import ch.cern.alice.lakehouse.query.domain.QueryRequest;
import ch.cern.alice.lakehouse.query.domain.QueryService;
import ch.cern.alice.lakehouse.query.domain.QueryStatus;
import ch.cern.alice.lakehouse.query.domain.TooManyQueriesException;
import ch.cern.alice.lakehouse.query.history.QueryHistoryStore;
import ch.cern.alice.lakehouse.query.ref.RefResolution;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.StatementGuard;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.sql.TimeTravelRewriter;
import ch.cern.alice.lakehouse.query.trino.TrinoEndpoint;
import ch.cern.alice.lakehouse.query.versioning.VersioningException;
import io.trino.sql.SqlFormatter;
import io.trino.sql.tree.Deallocate;
import io.trino.sql.tree.DescribeInput;
import io.trino.sql.tree.DescribeOutput;
import io.trino.sql.tree.Execute;
import io.trino.sql.tree.ExecuteImmediate;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.Prepare;
import io.trino.sql.tree.QualifiedName;
import io.trino.sql.tree.ResetSession;
import io.trino.sql.tree.SetSession;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.StringLiteral;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.Use;
import io.trino.sql.tree.WithQuery;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Trino's client protocol with the REST API's rules. Each statement is parsed by the {@link StatementGuard} and then:
 * <ul>
 *   <li>{@code SET SESSION ref = '...'} / {@code RESET SESSION ref}, {@code PREPARE}, {@code DEALLOCATE PREPARE}:
 *       answered by the gateway (the client keeps the session and its prepared statements, as with Trino);</li>
 *   <li>reads (queries, SHOW, DESCRIBE, EXPLAIN; {@code EXECUTE} and {@code EXECUTE IMMEDIATE} of a read;
 *       {@code USE}): checked, pinned at the session's ref by the {@link TimeTravelRewriter} exactly as the REST
 *       API's {@code ref}, and forwarded to Trino as the caller (impersonation, like the gateway's JDBC
 *       connections); Trino's pages go back to the client with {@code nextUri} pointing at the gateway, counted
 *       against the row and byte caps ({@code QUERY_MAX_RESULT_ROWS}, {@code QUERY_MAX_RESULT_BYTES}): the first
 *       row over a cap ends the result with a warning and the query in Trino;</li>
 *   <li>everything else (branch writes, admins' statements): through {@link QueryService#submit}, the REST API's
 *       path, polled by the client.</li>
 * </ul>
 * Every statement is registered like a REST query (per-user concurrency limit; visible and cancellable through
 * {@code /api/v1/queries/{id}}) and recorded in the query history with its client ({@code X-Trino-Source}, else
 * the User-Agent).
 */
@Service
public class ProtocolService {

    private static final Logger log = LoggerFactory.getLogger(ProtocolService.class);
    private static final Field TABLE_NAME = tableName();
    private static final Duration RETAIN_DONE = Duration.ofMinutes(10);

    /** What the controller sends back: HTTP status, protocol response headers, JSON body. */
    public record Reply(int status, Map<String, List<String>> headers, String body) {
        static Reply json(ObjectNode json) {
            return new Reply(200, Map.of(), json.toString());
        }

        static Reply json(ObjectNode json, String header, String value) {
            return new Reply(200, Map.of(header, List.of(value)), json.toString());
        }
    }

    private final StatementGuard guard;
    private final RefResolution refs;
    private final TimeTravelRewriter rewriter;
    private final QueryService queries;
    private final QueryRegistry registry;
    private final QueryHistoryStore history;
    private final QueryProperties limits;
    private final TrinoEndpoint trino;
    private final String lakeCatalog;
    private final String lakeSchema;
    private final Duration clientTimeout;
    private final Map<String, Entry> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "protocol-sweeper");
        t.setDaemon(true);
        return t;
    });

    public ProtocolService(StatementGuard guard, RefResolution refs, TimeTravelRewriter rewriter,
                           QueryService queries, QueryRegistry registry, QueryHistoryStore history,
                           QueryProperties limits, TrinoEndpoint trino,
                           TrinoProperties trinoProperties, ProtocolProperties protocol) {
        this.guard = guard;
        this.refs = refs;
        this.rewriter = rewriter;
        this.queries = queries;
        this.registry = registry;
        this.history = history;
        this.limits = limits;
        this.trino = trino;
        this.lakeCatalog = trinoProperties.catalog();
        this.lakeSchema = trinoProperties.schema();
        this.clientTimeout = protocol.clientTimeoutOrDefault();
        sweeper.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
    }

    String lakeCatalog() {
        return lakeCatalog;
    }

    String lakeSchema() {
        return lakeSchema;
    }

    // ---------------------------------------------------------------------------------------------------------
    // POST /v1/statement
    // ---------------------------------------------------------------------------------------------------------

    public Reply submit(ClientSession s, String sql) {
        String id = UUID.randomUUID().toString();
        String info = infoUri(s, id);
        try {
            if (!s.researcher()) {
                return refused(id, info, "Access Denied: ad-hoc SQL needs the researcher role; viewers run saved "
                        + "queries in the web UI");
            }
            if (!s.admin() && !s.properties().isEmpty()) {
                return refused(id, info, "session properties cannot be set through the query gateway: "
                        + String.join(", ", s.propertyNames()) + " (the gateway sets the session: time limit, "
                        + "catalog, schema); the only session property is ref (pins the lake's tables at a "
                        + "branch, tag, commit, v:<version> or ts:<instant>)");
            }
            if (sql == null || sql.isBlank()) {
                return failed(id, info, "the request body holds no SQL statement", 1, "SYNTAX_ERROR");
            }
            Statement statement = guard.parse(sql);
            return switch (statement) {
                case SetSession set when isRef(set.getName()) -> setRef(id, info, set);
                case ResetSession reset when isRef(reset.getName()) -> Reply.json(
                        ProtocolResults.finished(id, info, "RESET SESSION"), "X-Trino-Clear-Session",
                        ClientSession.REF);
                case SetSession set -> s.admin() ? proxy(s, sql, sql, Map.of(), false)
                        : refused(id, info, "SET SESSION " + set.getName() + " is not allowed: the query gateway "
                        + "sets the session; the only session property you may set is ref");
                case ResetSession reset -> s.admin() ? proxy(s, sql, sql, Map.of(), false)
                        : refused(id, info, "RESET SESSION " + reset.getName() + " is not allowed: the only "
                        + "session property you may set is ref");
                case Prepare prepare -> prepare(id, info, s, prepare);
                case Deallocate deallocate -> Reply.json(ProtocolResults.finished(id, info, "DEALLOCATE"),
                        "X-Trino-Deallocated-Prepare", encode(deallocate.getName().getValue()));
                case Execute execute -> execute(s, sql, execute.getName().getValue(), execute.getParameters());
                case ExecuteImmediate immediate -> executeImmediate(s, sql, immediate);
                case DescribeInput describe -> describe(s, sql, describe.getName().getValue());
                case DescribeOutput describe -> describe(s, sql, describe.getName().getValue());
                case Use ignored -> proxy(s, sql, sql, Map.of(), false); // only moves the client's session
                default -> StatementGuard.isReadOnly(statement)
                        ? proxy(s, sql, pinned(statement, sql, s), Map.of(), true)
                        : write(s, sql);
            };
        } catch (InvalidQueryException | WriteForbiddenException e) {
            return refused(id, info, e.getMessage());
        } catch (BranchWriteConflictException | VersioningException e) {
            return failed(id, info, e.getMessage(), 65_536, "GENERIC_USER_ERROR");
        } catch (TooManyQueriesException e) {
            return failed(id, info, e.getMessage(), 131_073, "QUERY_QUEUE_FULL", "INSUFFICIENT_RESOURCES");
        } catch (RuntimeException e) {
            log.warn("protocol statement of {} failed in the gateway", s.user(), e);
            return failed(id, info, "the query gateway failed: " + e.getMessage(), 65_536, "GENERIC_INTERNAL_ERROR",
                    "INTERNAL_ERROR");
        }
    }

    private static boolean isRef(QualifiedName name) {
        return name.getParts().size() == 1 && ClientSession.REF.equals(name.getParts().get(0));
    }

    /** {@code SET SESSION ref = 'paper-v1'}: checked now (an unknown ref fails here), kept by the client. */
    private Reply setRef(String id, String info, SetSession set) {
        if (!(set.getValue() instanceof StringLiteral literal) || literal.getValue().isBlank()) {
            throw new InvalidQueryException("SET SESSION ref takes a string: SET SESSION ref = 'paper-v1' (a "
                    + "branch, tag, commit, v:<delta version> or ts:<ISO instant>)");
        }
        refs.resolve(literal.getValue());
        return Reply.json(ProtocolResults.finished(id, info, "SET SESSION"), "X-Trino-Set-Session",
                ClientSession.REF + "=" + encode(literal.getValue().strip()));
    }

    /** PREPARE: the statement is checked now and kept by the client; EXECUTE checks and pins it again. */
    private Reply prepare(String id, String info, ClientSession s, Prepare prepare) {
        Statement inner = prepare.getStatement();
        checkPrepared(inner, s);
        return Reply.json(ProtocolResults.finished(id, info, "PREPARE"), "X-Trino-Added-Prepare",
                encode(prepare.getName().getValue()) + "=" + encode(SqlFormatter.formatSql(inner)));
    }

    private void checkPrepared(Statement inner, ClientSession s) {
        guard.requireAllowed(inner, s.admin());
        if (!StatementGuard.isReadOnly(inner) && !s.admin()) {
            throw new InvalidQueryException("only reads can be prepared; run a write on a branch as a statement");
        }
    }

    /** EXECUTE name USING ...: the client's prepared text, checked and pinned, run as EXECUTE IMMEDIATE. */
    private Reply execute(ClientSession s, String sql, String name, List<Expression> parameters) {
        String text = s.preparedStatement(name);
        if (text == null) {
            throw new InvalidQueryException("Prepared statement not found: " + name);
        }
        return immediate(s, sql, text, parameters);
    }

    private Reply executeImmediate(ClientSession s, String sql, ExecuteImmediate immediate) {
        return immediate(s, sql, immediate.getStatement().getValue(), immediate.getParameters());
    }

    private Reply immediate(ClientSession s, String sql, String text, List<Expression> parameters) {
        Statement inner = guard.parse(text);
        checkPrepared(inner, s);
        String pinned = StatementGuard.isReadOnly(inner) ? pinned(inner, text, s)
                : StatementGuard.withoutTrailingSemicolons(text).strip();
        String executed = SqlFormatter.formatSql(new ExecuteImmediate(new NodeLocation(1, 1),
                new StringLiteral(pinned), parameters));
        return proxy(s, sql, executed, Map.of(), StatementGuard.isReadOnly(inner));
    }

    /** DESCRIBE INPUT/OUTPUT name: Trino reads the prepared statement from the header, checked and pinned. */
    private Reply describe(ClientSession s, String sql, String name) {
        String text = s.preparedStatement(name);
        if (text == null) {
            throw new InvalidQueryException("Prepared statement not found: " + name);
        }
        Statement inner = guard.parse(text);
        checkPrepared(inner, s);
        String pinned = StatementGuard.isReadOnly(inner) ? pinned(inner, text, s) : text;
        return proxy(s, sql, sql, Map.of("X-Trino-Prepared-Statement", encode(name) + "=" + encode(pinned)), false);
    }

    /** The statement Trino runs: as sent without a ref, else pinned at the ref like the REST API's. */
    private String pinned(Statement statement, String sql, ClientSession s) {
        guard.requireAllowed(statement, s.admin());
        Optional<TableVersions> versions = refs.resolve(s.ref());
        if (versions.isEmpty()) {
            return StatementGuard.withoutTrailingSemicolons(sql).strip();
        }
        if (!s.atLake(lakeCatalog, lakeSchema)) {
            qualify(statement, s);
        }
        return rewriter.rewrite(statement, versions.get());
    }

    /**
     * The rewriter reads unqualified names as the lake's catalog and schema (as the REST API runs); a session
     * elsewhere ({@code USE}, {@code --schema}) gets its names qualified with its own catalog and schema first.
     */
    private void qualify(Statement statement, ClientSession s) {
        Set<String> cteNames = new HashSet<>();
        List<Table> tables = new ArrayList<>();
        collect(statement, cteNames, tables);
        for (Table table : tables) {
            List<Identifier> parts = table.getName().getOriginalParts();
            if (parts.size() >= 3) {
                continue;
            }
            String last = table.getName().getParts().get(parts.size() - 1);
            if (parts.size() == 1 && cteNames.contains(last)) {
                throw new InvalidQueryException("at a ref, with the session at " + s.catalog() + "." + s.schema()
                        + " rather than " + lakeCatalog + "." + lakeSchema + ", qualify the tables of a query "
                        + "that has a WITH named like a table (" + last + ")");
            }
            if (s.catalog() == null || (parts.size() == 1 && s.schema() == null)) {
                throw new InvalidQueryException("the session has no " + (s.catalog() == null ? "catalog" : "schema")
                        + ": qualify " + table.getName() + " or USE a schema");
            }
            List<Identifier> qualified = new ArrayList<>();
            qualified.add(new Identifier(s.catalog(), true));
            if (parts.size() == 1) {
                qualified.add(new Identifier(s.schema(), true));
            }
            qualified.addAll(parts);
            try {
                TABLE_NAME.set(table, QualifiedName.of(qualified));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void collect(Node node, Set<String> cteNames, List<Table> tables) {
        if (node instanceof WithQuery cte) {
            cteNames.add(cte.getName().getValue().toLowerCase(Locale.ENGLISH));
        }
        if (node instanceof Table table) {
            tables.add(table);
        }
        for (Node child : node.getChildren()) {
            collect(child, cteNames, tables);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // reads: forwarded to Trino as the caller
    // ---------------------------------------------------------------------------------------------------------

    private Reply proxy(ClientSession s, String originalSql, String executedSql, Map<String, String> extraHeaders,
                        boolean read) {
        if (s.user().equals(trino.gatewayUser())) {
            throw new InvalidQueryException("the user name '" + s.user() + "' cannot run queries in Trino: it is "
                    + "the query gateway's own Trino principal");
        }
        String id = UUID.randomUUID().toString();
        QueryExecution q = new QueryExecution(id, new QueryRequest(s.user(), originalSql, executedSql, s.ref(), null,
                s.admin(), null), executedSql, limits.maxResultRows(), null, read);
        registry.add(q, limits.maxConcurrentPerUser());
        Proxied p = new Proxied(id, s, q);
        active.put(id, p);
        try {
            history.insert(q);
            history.client(id, s.client());
        } catch (RuntimeException e) {
            p.end(QueryStatus.FAILED, "could not record the query in the history: " + e.getMessage());
            throw e;
        }
        q.running(null);
        HttpRequest.Builder request = trino.request(trino.base().resolve("/v1/statement"))
                .POST(HttpRequest.BodyPublishers.ofString(executedSql, StandardCharsets.UTF_8))
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("X-Trino-User", s.user());
        s.forwarded().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        if (s.catalog() != null) {
            request.header("X-Trino-Catalog", s.catalog());
        }
        if (s.schema() != null) {
            request.header("X-Trino-Schema", s.schema());
        }
        request.header("X-Trino-Session", sessionHeader(s));
        extraHeaders.forEach(request::header);
        synchronized (p) {
            try {
                return p.answer(trino.send(request.build()), 0);
            } catch (IOException e) {
                p.end(QueryStatus.FAILED, "Trino cannot be reached: " + e.getMessage());
                return failed(id, p.info, "Trino cannot be reached: " + e.getMessage(), 65_540,
                        "REMOTE_TASK_ERROR", "EXTERNAL");
            }
        }
    }

    /** The client's session properties (admins only) and the gateway's time limit unless an admin set one. */
    private String sessionHeader(ClientSession s) {
        Map<String, String> properties = new LinkedHashMap<>(s.admin() ? s.properties() : Map.of());
        properties.putIfAbsent("query_max_execution_time", Math.max(1, limits.timeout().toMillis()) + "ms");
        List<String> pairs = new ArrayList<>();
        properties.forEach((name, value) -> pairs.add(name + "=" + encode(value)));
        return String.join(",", pairs);
    }

    /** A query forwarded to Trino: where its next page is there, and what the client got of it. */
    private final class Proxied extends Entry {
        private URI upstreamNext;
        private long rows;
        private long bytes;

        Proxied(String id, ClientSession s, QueryExecution q) {
            super(id, s, q);
        }

        /** Turns Trino's response into the client's: nextUri to the gateway, caps applied; call synchronized. */
        Reply answer(HttpResponse<String> response, long token) {
            lastAccess = System.nanoTime();
            if (response.statusCode() != 200) {
                String message = "Trino answered HTTP " + response.statusCode() + ": "
                        + abbreviate(response.body());
                end(QueryStatus.FAILED, message);
                return remember(token, ProtocolResults.failed(id, info, message, 65_540, "REMOTE_TASK_ERROR", "EXTERNAL"), Map.of());
            }
            ObjectNode json;
            try {
                json = (ObjectNode) ProtocolResults.JSON.readTree(response.body());
            } catch (JacksonException | ClassCastException e) {
                end(QueryStatus.FAILED, "Trino's answer is not a query result");
                return remember(token, ProtocolResults.failed(id, info, "Trino's answer is not a query result", 65_536,
                        "GENERIC_INTERNAL_ERROR", "INTERNAL_ERROR"), Map.of());
            }
            if (q.trinoQueryId() == null && json.hasNonNull("id")) {
                q.trinoQueryId(json.get("id").asString());
                try {
                    history.running(q);
                } catch (RuntimeException e) {
                    log.warn("could not record the start of protocol query {}", id, e);
                }
            }
            String truncated = cap(json);
            JsonNode next = json.get("nextUri");
            URI upstream = next == null || next.isNull() ? null : URI.create(next.asString());
            if (truncated != null) {
                q.markTruncated(truncated);
                json.remove("nextUri");
                ((ObjectNode) json.get("stats")).put("state", "FINISHED");
                ProtocolResults.warn(json, "GATEWAY_RESULT_TRUNCATED", truncated);
                cancelInTrino(upstream);
                upstreamNext = null;
                end(QueryStatus.FINISHED, null);
            } else if (upstream != null) {
                if (!trino.isTrino(upstream)) {
                    end(QueryStatus.FAILED, "Trino's nextUri points elsewhere: " + upstream);
                    return remember(token, ProtocolResults.failed(id, info, "Trino's nextUri points elsewhere", 65_536,
                            "GENERIC_INTERNAL_ERROR", "INTERNAL_ERROR"), Map.of());
                }
                upstreamNext = upstream;
                json.put("nextUri", session.base() + "/v1/statement/gateway/" + id + "/" + (token + 1));
            } else {
                upstreamNext = null;
                JsonNode error = json.get("error");
                if (error != null && !error.isNull()) {
                    end(QueryStatus.FAILED, error.path("message").asString("failed in Trino"));
                } else {
                    end(QueryStatus.FINISHED, null);
                }
            }
            json.remove("partialCancelUri");
            json.put("infoUri", info);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> {
                if (name.toLowerCase(Locale.ROOT).startsWith("x-trino-")) {
                    headers.put(name, values);
                }
            });
            return remember(token, json, headers);
        }

        /** Counts the page's rows against the caps; cuts it at the first row over one and says why. */
        private String cap(ObjectNode json) {
            JsonNode data = json.get("data");
            if (data == null || !data.isArray()) {
                return null;
            }
            long maxBytes = limits.maxResultBytesOrDefault();
            ArrayNode kept = ProtocolResults.JSON.createArrayNode();
            String reason = null;
            for (JsonNode row : data) {
                if (rows >= q.maxRows()) {
                    reason = "the first " + q.maxRows() + " rows are sent: the row limit of the query gateway "
                            + "(QUERY_MAX_RESULT_ROWS); export the query through the web UI or the REST API for "
                            + "all rows";
                    break;
                }
                long rowBytes = 16 + 2L * row.toString().length();
                if (bytes + rowBytes > maxBytes) {
                    reason = "the first " + rows + " rows (about " + bytes + " bytes) are sent: row " + (rows + 1)
                            + " would pass the result size cap QUERY_MAX_RESULT_BYTES of " + maxBytes
                            + " bytes; select fewer or narrower columns, or export the query";
                    break;
                }
                bytes += rowBytes;
                rows++;
                kept.add(row);
            }
            if (reason != null) {
                json.set("data", kept);
            }
            return reason;
        }

        @Override
        Reply fetch(long token) throws IOException {
            if (q.status().isDone()) { // cancelled through the REST API, or ended by the sweeper
                cancelInTrino(upstreamNext);
                upstreamNext = null;
                return remember(token, ProtocolResults.failed(id, info, "Query was " + q.status().name().toLowerCase(Locale.ROOT)
                        + (q.error() == null ? "" : ": " + q.error()), 65_539, "USER_CANCELED", "USER_ERROR"),
                        Map.of());
            }
            if (upstreamNext == null) {
                return null;
            }
            return answer(trino.send(trino.request(upstreamNext).GET().build()), token);
        }

        @Override
        void cancel() {
            cancelInTrino(upstreamNext);
            upstreamNext = null;
            end(QueryStatus.CANCELLED, "cancelled by the client");
        }

        @Override
        boolean open() {
            return upstreamNext != null;
        }

        void end(QueryStatus status, String error) {
            if (q.finish(status, error)) {
                try {
                    history.finished(q);
                    history.rows(id, rows);
                } catch (RuntimeException e) {
                    log.warn("could not record the end of protocol query {}", id, e);
                }
            }
        }

        void cancelInTrino(URI upstream) {
            if (upstream == null) {
                return;
            }
            try {
                trino.send(trino.request(upstream).DELETE().build());
            } catch (IOException | RuntimeException e) {
                log.warn("could not cancel protocol query {} in Trino", id, e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // writes: the REST API's path
    // ---------------------------------------------------------------------------------------------------------

    private Reply write(ClientSession s, String sql) {
        QueryExecution q = queries.submit(new QueryRequest(s.user(), sql, sql, s.ref(), null, s.admin(), null),
                s.authorization());
        history.client(q.id(), s.client());
        Submitted e = new Submitted(q.id(), s, q, updateType(guard.parse(sql)));
        active.put(q.id(), e);
        ObjectNode json = ProtocolResults.result(q.id(), e.info, "QUEUED");
        json.put("nextUri", s.base() + "/v1/statement/gateway/" + q.id() + "/1");
        synchronized (e) {
            return e.remember(0, json, Map.of());
        }
    }

    private static String updateType(Statement statement) {
        return statement.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }

    private final class Submitted extends Entry {
        private final String updateType;

        Submitted(String id, ClientSession s, QueryExecution q, String updateType) {
            super(id, s, q);
            this.updateType = updateType;
        }

        @Override
        Reply fetch(long token) {
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (!q.status().isDone() && System.nanoTime() < until) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            lastAccess = System.nanoTime();
            ObjectNode json;
            switch (q.status()) {
                case FINISHED -> {
                    json = ProtocolResults.finished(q.trinoQueryId() == null ? id : q.trinoQueryId(), info,
                            updateType);
                    if (!q.columns().isEmpty()) {
                        json.set("columns", ProtocolResults.varcharColumns(
                                q.columns().stream().map(c -> c.name()).toList()));
                        ArrayNode data = json.putArray("data");
                        for (List<Object> row : q.rows(0, q.rowCount())) {
                            ArrayNode r = data.addArray();
                            row.forEach(v -> r.add(v == null ? null : v.toString()));
                        }
                    }
                    if (q.commitId() != null) {
                        ProtocolResults.warn(json, "GATEWAY_BRANCH_COMMIT", "committed on the branch as "
                                + q.commitId());
                    }
                }
                case FAILED -> json = ProtocolResults.failed(id, info, q.error() == null ? "failed" : q.error(), 65_536,
                        "GENERIC_USER_ERROR", "USER_ERROR");
                case CANCELLED -> json = ProtocolResults.failed(id, info, "Query was cancelled", 65_539,
                        "USER_CANCELED", "USER_ERROR");
                default -> {
                    json = ProtocolResults.result(id, info, q.status() == QueryStatus.QUEUED ? "QUEUED" : "RUNNING");
                    json.put("nextUri", session.base() + "/v1/statement/gateway/" + id + "/" + (token + 1));
                }
            }
            return remember(token, json, Map.of());
        }

        @Override
        void cancel() {
            queries.cancel(id, session.user(), session.admin());
        }

        @Override
        boolean open() {
            return !q.status().isDone();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // nextUri: GET the next page, DELETE to cancel
    // ---------------------------------------------------------------------------------------------------------

    /** A protocol query the gateway follows: the last page it sent (a client may ask for it again). */
    private abstract class Entry {
        final String id;
        final ClientSession session;
        final QueryExecution q;
        final String info;
        volatile long lastAccess = System.nanoTime();
        private long token = -1;
        private Reply last;

        Entry(String id, ClientSession session, QueryExecution q) {
            this.id = id;
            this.session = session;
            this.q = q;
            this.info = infoUri(session, id);
        }

        abstract Reply fetch(long token) throws IOException;

        abstract void cancel();

        /** Whether the query still has something to fetch. */
        abstract boolean open();

        Reply remember(long token, ObjectNode json, Map<String, List<String>> headers) {
            this.token = token;
            this.last = new Reply(200, headers, json.toString());
            return last;
        }

        synchronized Reply next(long requested) throws IOException {
            lastAccess = System.nanoTime();
            if (requested == token && last != null) {
                return last; // the client retries
            }
            if (requested != token + 1) {
                return null;
            }
            return fetch(requested);
        }
    }

    public Reply next(String id, long token, String user) {
        Entry e = active.get(id);
        if (e == null || !e.session.user().equals(user)) {
            return notFound(id);
        }
        try {
            Reply reply = e.next(token);
            return reply == null ? notFound(id) : reply;
        } catch (IOException ex) {
            return failed(id, e.info, "Trino cannot be reached: " + ex.getMessage(), 65_540, "REMOTE_TASK_ERROR",
                    "EXTERNAL");
        }
    }

    /** DELETE of a nextUri: the client cancels (JDBC Statement.cancel, the CLI's Ctrl-C, closing early). */
    public boolean cancel(String id, String user) {
        Entry e = active.get(id);
        if (e == null || !e.session.user().equals(user)) {
            return false;
        }
        synchronized (e) {
            e.cancel();
        }
        return true;
    }

    /** Ends queries the client stopped fetching, ends in Trino those cancelled through the REST API, forgets. */
    void sweep() {
        long now = System.nanoTime();
        for (Entry e : List.copyOf(active.values())) {
            try {
                if (e instanceof Proxied p && p.open() && p.q.status().isDone()) {
                    synchronized (p) {
                        p.cancelInTrino(p.upstreamNext);
                        p.upstreamNext = null;
                    }
                } else if (e.open() && now - e.lastAccess > clientTimeout.toNanos()) {
                    log.info("protocol query {} of {} abandoned by its client: ended", e.id, e.session.user());
                    synchronized (e) {
                        if (e instanceof Proxied p) {
                            p.cancelInTrino(p.upstreamNext);
                            p.upstreamNext = null;
                            p.end(QueryStatus.FAILED, "abandoned: the client fetched no result for "
                                    + clientTimeout.toSeconds() + " s");
                        } else {
                            e.cancel();
                        }
                    }
                } else if (!e.open() && now - e.lastAccess > RETAIN_DONE.toNanos()) {
                    active.remove(e.id);
                }
            } catch (RuntimeException ex) {
                log.warn("protocol sweep of query {} failed", e.id, ex);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static String infoUri(ClientSession s, String id) {
        return s.base() + "/v1/statement/gateway/" + id;
    }

    private Reply notFound(String id) {
        return new Reply(404, Map.of(), ProtocolResults.failed(id, "", "no such query (or not yours): " + id,
                65_536, "GENERIC_USER_ERROR", "USER_ERROR").toString());
    }

    private static Reply refused(String id, String info, String message) {
        return Reply.json(ProtocolResults.failed(id, info, message, 4, "PERMISSION_DENIED", "USER_ERROR"));
    }

    private static Reply failed(String id, String info, String message, int code, String name, String type) {
        return Reply.json(ProtocolResults.failed(id, info, message, code, name, type));
    }

    private static Reply failed(String id, String info, String message, int code, String name) {
        return failed(id, info, message == null ? "failed" : message, code, name, "USER_ERROR");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static Field tableName() {
        try {
            Field field = Table.class.getDeclaredField("name");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("unsupported trino-parser version: Table.name not found", e);
        }
    }
}

package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.domain.WriteStatements.PreparedWrite;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.StatementGuard;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.sql.TimeTravelRewriter;
import io.trino.sql.tree.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

/** Checks, pins (time travel) and starts queries; finds and cancels them. */
@Service
public class QueryService {

    private static final Logger log = LoggerFactory.getLogger(QueryService.class);

    private final QueryProperties limits;
    private final StatementGuard guard;
    private final RefPins refs;
    private final TimeTravelRewriter rewriter;
    private final WriteStatements writes;
    private final QueryRegistry registry;
    private final QueryRunner runner;
    private final QueryHistory history;
    private final ThreadPoolExecutor executor;

    public QueryService(QueryProperties limits, StatementGuard guard, RefPins refs,
                        TimeTravelRewriter rewriter, WriteStatements writes, QueryRegistry registry,
                        QueryRunner runner, QueryHistory history, ThreadPoolExecutor queryExecutor) {
        this.limits = limits;
        this.guard = guard;
        this.refs = refs;
        this.rewriter = rewriter;
        this.writes = writes;
        this.registry = registry;
        this.runner = runner;
        this.history = history;
        this.executor = queryExecutor;
    }

    public QueryExecution submit(QueryRequest request) {
        return submit(request, null);
    }

    /**
     * @param authorization the caller's Authorization header: a write on a branch forwards it to versioning-service,
     *                      which checks the caller may move the branch and records them as the commit's author
     */
    public QueryExecution submit(QueryRequest request, String authorization) {
        if (request.maxRows() != null && request.maxRows() < 1) {
            throw new InvalidQueryException("maxRows must be at least 1");
        }
        String id = UUID.randomUUID().toString();
        Statement statement = guard.parse(request.sql());
        if (!request.mayWrite()) {
            guard.requireNoSessionProperties(statement); // branch work does not pass requireAllowed
        }
        Optional<? extends PreparedWrite> branchWrite = writes.prepare(request, statement, id, authorization);
        String executedSql = branchWrite.isPresent() ? branchWrite.get().executedSql()
                : prepare(request.sql(), statement, request.ref(), request.mayWrite());
        int maxRows = request.maxRows() == null ? limits.maxResultRows()
                : Math.min(request.maxRows(), limits.maxResultRows());
        boolean read = branchWrite.isEmpty() && StatementGuard.isReadOnly(statement);
        QueryExecution q = new QueryExecution(id, request, executedSql, maxRows,
                branchWrite.map(PreparedWrite::commit).orElse(null), read);
        try {
            registry.add(q, limits.maxConcurrentPerUser());
        } catch (RuntimeException e) {
            q.finish(QueryStatus.FAILED, e.getMessage()); // releases the branch's write lock
            throw e;
        }
        history.insert(q);
        try {
            executor.execute(() -> runner.run(q, limits.timeout()));
        } catch (RejectedExecutionException e) {
            q.finish(QueryStatus.FAILED, "gateway busy: too many queries queued");
            history.finished(q);
            throw new TooManyQueriesException("the query gateway is busy (" + executor.getQueue().size()
                    + " queries queued); retry later", true);
        }
        return q;
    }

    /** Parses, checks and pins the SQL to the ref: the text Trino will run. */
    public String prepare(String sql, String ref, boolean mayWrite) {
        return prepare(sql, guard.parse(sql), ref, mayWrite);
    }

    private String prepare(String sql, Statement statement, String ref, boolean mayWrite) {
        guard.requireAllowed(statement, mayWrite);
        Optional<TableVersions> versions = refs.resolve(ref);
        if (versions.isEmpty()) {
            return StatementGuard.withoutTrailingSemicolons(sql).strip();
        }
        return rewriter.rewrite(statement, versions.get());
    }

    /** The query if it is visible to {@code user} (own queries; admins see all). */
    public QueryExecution get(String id, String user, boolean admin) {
        return find(id, user, admin).orElseThrow(() -> new QueryNotFoundException("query " + id));
    }

    /** Like {@link #get} but empty when this process does not hold the query (evicted, or run before a restart). */
    public Optional<QueryExecution> find(String id, String user, boolean admin) {
        return registry.find(id).filter(q -> admin || q.user().equals(user));
    }

    public QueryExecution cancel(String id, String user, boolean admin) {
        QueryExecution q = get(id, user, admin);
        RunningStatement statement = q.requestCancel();
        if (statement == null) {
            if (q.finish(QueryStatus.CANCELLED, "cancelled by user")) {
                history.finished(q);
            }
            return q;
        }
        try {
            statement.cancel();
        } catch (Exception e) {
            log.warn("cancel of query {} failed", id, e);
        }
        return q;
    }
}

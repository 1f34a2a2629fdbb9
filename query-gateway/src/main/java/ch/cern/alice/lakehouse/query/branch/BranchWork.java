package ch.cern.alice.lakehouse.query.branch;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.domain.QueryRequest;
import ch.cern.alice.lakehouse.query.domain.WriteStatements;
import ch.cern.alice.lakehouse.query.ref.BuiltInRefResolver;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.sql.TimeTravelRewriter;
import ch.cern.alice.lakehouse.query.trino.TrinoCallException;
import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient.BranchAccess;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient.RefInfo;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient;
import io.trino.sql.tree.Statement;
import org.springframework.stereotype.Service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Branch work: a researcher writes derived tables on a branch they own (CREATE TABLE AS, INSERT, DELETE, DROP TABLE
 * with the branch as ref), into the branch's schema {@code branch_<name>}; each write is pinned by a commit on the
 * branch. Everything that can refuse the write is checked here, before Trino writes anything.
 * <p>
 * Admins' write statements at main, without a ref or at a tag, commit or {@code v:}/{@code ts:} are not branch
 * work: they run as before (maintenance), unchanged and unpinned.
 */
@Service
public class BranchWork implements WriteStatements {

    private final VersioningClient versioning;
    private final BranchWriteLocks locks;
    private final BranchTables tables;
    private final TrinoConnections connections;
    private final QueryProperties limits;
    private final BranchWritePlanner planner;

    public BranchWork(VersioningClient versioning, BranchWriteLocks locks, BranchTables tables,
                      TrinoConnections connections, QueryProperties limits, DatasetCatalog datasets,
                      TimeTravelRewriter rewriter) {
        this.versioning = versioning;
        this.locks = locks;
        this.tables = tables;
        this.connections = connections;
        this.limits = limits;
        this.planner = new BranchWritePlanner(connections.catalog(), connections.schema(),
                Set.copyOf(datasets.names()), rewriter);
    }

    /**
     * Branch work is a write statement ({@link WriteKind}) sent directly, not by a saved query.
     *
     * @return empty when the statement is not branch work (not a write, run by a saved query, or an admin's
     *         statement outside a branch)
     */
    @Override
    public Optional<BranchWrite> prepare(QueryRequest request, Statement statement, String queryId,
                                         String authorization) {
        if (request.savedQueryId() != null) {
            return Optional.empty();
        }
        Optional<WriteKind> kind = WriteKind.of(statement);
        return kind.isEmpty() ? Optional.empty() : prepare(request, statement, kind.get(), queryId, authorization);
    }

    /**
     * @param authorization the caller's Authorization header, forwarded to versioning-service
     * @return empty when the statement is not branch work (an admin's statement outside a branch)
     */
    private Optional<BranchWrite> prepare(QueryRequest request, Statement statement, WriteKind kind, String queryId,
                                          String authorization) {
        boolean admin = request.mayWrite();
        String ref = request.ref() == null ? "" : request.ref().strip();
        String needBranch = kind.label() + " statements are not allowed at this ref: researchers write derived "
                + "tables only on a branch they created, sent as ref (the table goes to its schema branch_<name>)";
        if (ref.isEmpty() || BuiltInRefResolver.isBuiltIn(ref) || !versioning.configured()) {
            if (admin) {
                return Optional.empty();
            }
            throw new InvalidQueryException(needBranch + (BuiltInRefResolver.isBuiltIn(ref) ? " ('" + ref + "' is a "
                    + "Delta version or time)" : "") + (versioning.configured() ? ""
                    : "; versioning-service is not configured"));
        }
        RefInfo info = versioning.ref(ref);
        if (!info.isBranch()) {
            if (admin) {
                return Optional.empty();
            }
            throw new InvalidQueryException(needBranch + " ('" + ref + "' is a " + info.kind() + ", which never "
                    + "moves)");
        }
        if (ref.equals("main")) {
            if (admin) {
                return Optional.empty();
            }
            throw new WriteForbiddenException("branch main holds the lake's tables and only ETL runs advance it: "
                    + "create a branch of your own (POST /api/v1/versions/branches) and write there");
        }
        if (authorization == null || authorization.isBlank()) {
            throw new InvalidQueryException("branch work forwards your credentials to versioning-service: send an "
                    + "Authorization header");
        }
        Runnable release = locks.lock(LakeLayout.branchSchema(ref), ref, queryId);
        try {
            return Optional.of(prepareLocked(request, statement, kind, ref, authorization, release));
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private BranchWrite prepareLocked(QueryRequest request, Statement statement, WriteKind kind, String branch,
                                      String authorization, Runnable release) {
        BranchAccess access = versioning.access(branch, authorization);
        if (!access.mayCommit()) {
            throw new WriteForbiddenException(access.reason());
        }
        RefInfo head = versioning.ref(branch); // under the lock: no write of this gateway moves it now
        BranchWriteTarget target = planner.target(statement, kind, branch, head.tables());
        String sql = null;
        if (kind != WriteKind.DROP_TABLE) {
            // the branch schema and the registration of a table written elsewhere are the gateway's own work in
            // Trino (users may not create schemas nor call procedures there); the statement itself runs as the user
            try (Connection c = connections.openAsGateway(limits.timeout())) {
                boolean exists = tables.prepare(c, target);
                if (kind == WriteKind.INSERT || kind == WriteKind.DELETE) {
                    requirePinnedIsLatest(c, target);
                }
                sql = planner.sql(statement, target, new TableVersions.PerTable(head.tables()), exists,
                        tables.location(target));
            } catch (SQLException e) {
                throw new TrinoCallException("preparing " + target.key() + " in Trino failed", e);
            }
        }
        return new BranchWrite(target, sql, new BranchCommit(target, head.commitId(), authorization, tables,
                versioning, release));
    }

    /** INSERT and DELETE build on the table's newest version: it must be the one the branch pins. */
    private void requirePinnedIsLatest(Connection c, BranchWriteTarget target) throws SQLException {
        OptionalLong latest = tables.latestVersion(c, target);
        if (latest.isPresent() && latest.getAsLong() != target.pinnedVersion()) {
            throw new BranchWriteConflictException("branch '" + target.branch() + "' pins version "
                    + target.pinnedVersion() + " of " + target.key() + " but the Delta table is at version "
                    + latest.getAsLong() + " (after a revert or merge on the branch, or a write whose commit failed): "
                    + target.kind().label() + " would build on version " + latest.getAsLong() + ". Pin the version "
                    + "you want (POST /api/v1/versions/commits) or rebuild the table with CREATE OR REPLACE TABLE "
                    + target.table() + " AS ...");
        }
    }
}

package ch.cern.alice.lakehouse.query.branch;

import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.StatementFollowUp;
import ch.cern.alice.lakehouse.query.trino.Column;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient.CommitInfo;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient.CommitRequest;
import ch.cern.alice.lakehouse.query.versioning.VersioningClient;
import ch.cern.alice.lakehouse.query.versioning.VersioningException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After Trino wrote a derived table, pins its new Delta version by a commit on the branch, as the user who sent the
 * statement (their Authorization header) and only if the branch head is still the one the statement read
 * ({@code expectedHead}). DROP TABLE writes nothing in Trino and commits the table's removal.
 */
final class BranchCommit implements StatementFollowUp {

    static final List<Column> RESULT_COLUMNS = List.of(new Column("rows", "bigint"), new Column("table", "varchar"),
            new Column("delta_version", "bigint"), new Column("branch", "varchar"), new Column("commit_id", "varchar"));

    private final BranchWriteTarget target;
    private final String expectedHead;
    private final String authorization;
    private final BranchTables tables;
    private final VersioningClient versioning;
    private final Runnable releaseLock;

    BranchCommit(BranchWriteTarget target, String expectedHead, String authorization, BranchTables tables,
                 VersioningClient versioning, Runnable releaseLock) {
        this.target = target;
        this.expectedHead = expectedHead;
        this.authorization = authorization;
        this.tables = tables;
        this.versioning = versioning;
        this.releaseLock = releaseLock;
    }

    @Override
    public void afterStatement(QueryExecution query, Connection trino, long updateCount) {
        Long version = target.kind() == WriteKind.DROP_TABLE ? null : writtenVersion(trino);
        Map<String, Long> pin = new HashMap<>();
        pin.put(target.key(), version);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("queryId", query.id());
        properties.put("source", "query-gateway");
        properties.put("statement", target.kind().label());
        if (query.trinoQueryId() != null) {
            properties.put("trinoQueryId", query.trinoQueryId());
        }
        String message = target.kind().label() + " " + target.key() + " (query " + query.id() + ")";
        CommitInfo commit;
        try {
            commit = versioning.commit(new CommitRequest(target.branch(), message, pin, properties, expectedHead),
                    authorization);
        } catch (VersioningException e) {
            throw new IllegalStateException(notPinned(version, "versioning-service refused the commit: "
                    + e.getMessage()), e);
        }
        query.commitId(commit.id());
        query.columns(RESULT_COLUMNS);
        query.addRow(Arrays.asList(updateCount >= 0 ? updateCount : null, target.key(), version, target.branch(),
                commit.id()));
    }

    @Override
    public void release() {
        releaseLock.run();
    }

    private long writtenVersion(Connection trino) {
        try {
            return tables.latestVersion(trino, target).orElseThrow(() ->
                    new IllegalStateException(notPinned(null, "the table has no Delta history in Trino")));
        } catch (SQLException e) {
            throw new IllegalStateException(notPinned(null, "reading its new Delta version failed: "
                    + e.getMessage()), e);
        }
    }

    /** What happened, and how to pin the written version by hand. */
    private String notPinned(Long version, String why) {
        String branch = target.branch();
        if (target.kind() == WriteKind.DROP_TABLE) {
            return "table " + target.key() + " was not removed from branch '" + branch + "': " + why
                    + ". Nothing was written; send the DROP TABLE again, or commit {\"" + target.key()
                    + "\": null} on the branch by hand (POST /api/v1/versions/commits)";
        }
        String v = version == null ? "<version>" : version.toString();
        return "Trino wrote " + target.key() + (version == null ? "" : " version " + version) + " but it was not "
                + "pinned on branch '" + branch + "': " + why + ". Pin it by hand: POST /api/v1/versions/commits "
                + "{\"branch\":\"" + branch + "\",\"message\":\"" + target.kind().label() + " " + target.key()
                + "\",\"tables\":{\"" + target.key() + "\":" + v + "}}"
                + (version == null ? " with <version> = SELECT max(version) FROM delta." + target.schema() + ".\""
                + target.table() + "$history\"" : "");
    }
}

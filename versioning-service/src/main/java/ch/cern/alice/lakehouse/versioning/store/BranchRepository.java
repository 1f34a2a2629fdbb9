package ch.cern.alice.lakehouse.versioning.store;

import ch.cern.alice.lakehouse.versioning.domain.Branch;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Repository
public class BranchRepository {

    private static final RowMapper<Branch> ROW = (rs, n) -> new Branch(rs.getString("name"), rs.getString("head"),
            rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant());
    private static final String COLUMNS = "name, head, created_by, created_at, updated_at";

    private final JdbcClient jdbc;

    public BranchRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when a branch of that name exists already */
    public boolean insert(String name, String head, String createdBy, Instant now) {
        return jdbc.sql("INSERT INTO versioning.branches (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO NOTHING")
                .params(name, head, createdBy, Timestamp.from(now), Timestamp.from(now)).update() == 1;
    }

    public Optional<Branch> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM versioning.branches WHERE name = ?").param(name).query(ROW)
                .optional();
    }

    /** Row lock held until the transaction ends: concurrent head updates of one branch are serialized. */
    public Optional<Branch> lock(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM versioning.branches WHERE name = ? FOR UPDATE").param(name)
                .query(ROW).optional();
    }

    public List<Branch> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM versioning.branches ORDER BY name").query(ROW).list();
    }

    /**
     * A filtered page of branches: {@code query} a case-insensitive substring of the name, {@code prefix} a name
     * prefix, {@code owner} the creator (each null for any); by name, or by last update (newest first).
     */
    public List<Branch> search(String query, String prefix, String owner, boolean byUpdate, int offset, int limit) {
        List<Object> params = new ArrayList<>();
        String where = where(query, prefix, owner, params);
        params.add(limit);
        params.add(offset);
        return jdbc.sql("SELECT " + COLUMNS + " FROM versioning.branches" + where
                        + (byUpdate ? " ORDER BY updated_at DESC, name" : " ORDER BY name") + " LIMIT ? OFFSET ?")
                .params(params).query(ROW).list();
    }

    public long count(String query, String prefix, String owner) {
        List<Object> params = new ArrayList<>();
        String where = where(query, prefix, owner, params);
        return jdbc.sql("SELECT count(*) FROM versioning.branches" + where).params(params).query(Long.class).single();
    }

    private static String where(String query, String prefix, String owner, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (query != null) {
            conditions.add("strpos(lower(name), lower(?)) > 0");
            params.add(query);
        }
        if (prefix != null) {
            conditions.add("starts_with(name, ?)");
            params.add(prefix);
        }
        if (owner != null) {
            conditions.add("created_by = ?");
            params.add(owner);
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public void moveHead(String name, String head, Instant now) {
        jdbc.sql("UPDATE versioning.branches SET head = ?, updated_at = ? WHERE name = ?")
                .params(head, Timestamp.from(now), name).update();
    }

    public boolean delete(String name) {
        jdbc.sql("DELETE FROM versioning.branch_moves WHERE branch = ?").param(name).update();
        return jdbc.sql("DELETE FROM versioning.branches WHERE name = ?").param(name).update() == 1;
    }

    public void recordMove(String branch, String commitId, Instant at, String by, String reason) {
        jdbc.sql("INSERT INTO versioning.branch_moves (branch, commit_id, moved_at, moved_by, reason) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .params(branch, commitId, Timestamp.from(at), by, reason).update();
    }

    /** Where the branch pointed at the given time (its last move at or before it). */
    public Optional<String> headAt(String branch, Instant at) {
        return jdbc.sql("SELECT commit_id FROM versioning.branch_moves WHERE branch = ? AND moved_at <= ? "
                        + "ORDER BY moved_at DESC, id DESC LIMIT 1")
                .params(branch, Timestamp.from(at)).query(String.class).optional();
    }
}

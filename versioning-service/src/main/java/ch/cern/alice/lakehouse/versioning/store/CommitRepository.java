package ch.cern.alice.lakehouse.versioning.store;

import ch.cern.alice.lakehouse.versioning.domain.Commit;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Repository
public class CommitRepository {

    private static final String COLUMNS =
            "id, parent1, parent2, generation, author, message, created_at, properties, tables, changed";

    private final JdbcClient jdbc;
    private final JsonColumns json;
    private final RowMapper<Commit> rowMapper;

    public CommitRepository(JdbcClient jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rowMapper = (rs, n) -> {
            List<String> parents = new ArrayList<>(2);
            if (rs.getString("parent1") != null) {
                parents.add(rs.getString("parent1"));
            }
            if (rs.getString("parent2") != null) {
                parents.add(rs.getString("parent2"));
            }
            return new Commit(rs.getString("id"), List.copyOf(parents), rs.getInt("generation"),
                    rs.getString("author"), rs.getString("message"), rs.getTimestamp("created_at").toInstant(),
                    json.object(rs.getString("properties")), json.tables(rs.getString("tables")),
                    json.tables(rs.getString("changed")));
        };
    }

    public void insert(Commit commit, String etlRunId) {
        jdbc.sql("INSERT INTO versioning.commits (" + COLUMNS + ", etl_run_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?)")
                .params(commit.id(), parent(commit, 0), parent(commit, 1), commit.generation(), commit.author(),
                        commit.message(), Timestamp.from(commit.time()), json.write(commit.properties()),
                        json.write(commit.tables()), json.write(commit.changed()), etlRunId)
                .update();
    }

    public Optional<Commit> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM versioning.commits WHERE id = ?").param(id).query(rowMapper)
                .optional();
    }

    /** Commits whose id starts with the hex prefix (at most {@code limit}); a range scan on the primary key. */
    public List<String> idsWithPrefix(String prefix, int limit) {
        return jdbc.sql("SELECT id FROM versioning.commits WHERE id >= ? AND id < ? ORDER BY id LIMIT ?")
                .params(prefix, prefix + "g", limit).query(String.class).list();
    }

    public Optional<String> findByEtlRun(String runId) {
        return jdbc.sql("SELECT id FROM versioning.commits WHERE etl_run_id = ?").param(runId).query(String.class)
                .optional();
    }

    /**
     * One page of first-parent history from {@code head} (like {@code git log --first-parent}). The recursion stops
     * at depth offset+limit, so a page near the head reads only that many rows by primary key.
     */
    public List<Commit> firstParentLog(String head, int offset, int limit) {
        return jdbc.sql("WITH RECURSIVE chain AS ("
                        + " SELECT c.*, 0 AS depth FROM versioning.commits c WHERE c.id = ?"
                        + " UNION ALL"
                        + " SELECT c.*, chain.depth + 1 FROM versioning.commits c JOIN chain ON c.id = chain.parent1"
                        + "   WHERE chain.depth + 1 < ?"
                        + ") SELECT " + COLUMNS + " FROM chain ORDER BY depth LIMIT ? OFFSET ?")
                .params(head, offset + limit, limit, offset).query(rowMapper).list();
    }

    /**
     * The nearest common ancestor: among the common ancestors, the one with the highest generation (the newest one
     * when a criss-cross history has several). Generations fall strictly along parent links, so a walk pruned below
     * generation g still finds every ancestor at or above g: windows of growing depth below the older tip keep the
     * usual case (a recent fork) to a few rows instead of the whole history.
     */
    public Optional<String> mergeBase(String a, String b) {
        Integer lowest = jdbc.sql("SELECT min(generation) FROM versioning.commits WHERE id IN (?, ?)")
                .params(a, b).query(Integer.class).single();
        if (lowest == null) {
            return Optional.empty();
        }
        for (int window : new int[]{64, 2048}) {
            Optional<String> base = mergeBaseAbove(a, b, lowest - window);
            if (base.isPresent()) {
                return base;
            }
        }
        return mergeBaseAbove(a, b, Integer.MIN_VALUE);
    }

    private Optional<String> mergeBaseAbove(String a, String b, int minGeneration) {
        return jdbc.sql("WITH RECURSIVE"
                        + " left_side(id) AS (SELECT CAST(? AS text) COLLATE \"C\" UNION"
                        + "   SELECT p.id FROM left_side l JOIN versioning.commits c ON c.id = l.id"
                        + "   CROSS JOIN LATERAL (VALUES (c.parent1), (c.parent2)) AS p(id)"
                        + "   JOIN versioning.commits pc ON pc.id = p.id WHERE pc.generation >= ?),"
                        + " right_side(id) AS (SELECT CAST(? AS text) COLLATE \"C\" UNION"
                        + "   SELECT p.id FROM right_side r JOIN versioning.commits c ON c.id = r.id"
                        + "   CROSS JOIN LATERAL (VALUES (c.parent1), (c.parent2)) AS p(id)"
                        + "   JOIN versioning.commits pc ON pc.id = p.id WHERE pc.generation >= ?)"
                        + " SELECT c.id FROM versioning.commits c JOIN left_side l ON l.id = c.id"
                        + " JOIN right_side r ON r.id = c.id ORDER BY c.generation DESC, c.created_at DESC LIMIT 1")
                .params(a, minGeneration, b, minGeneration).query(String.class).optional();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM versioning.commits").query(Long.class).single();
    }

    private static String parent(Commit commit, int index) {
        return commit.parents().size() > index ? commit.parents().get(index) : null;
    }
}

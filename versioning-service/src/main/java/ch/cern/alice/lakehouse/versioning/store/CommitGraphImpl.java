package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Optional;

/**
 * Generations fall strictly along parent links, so a walk pruned below generation g still finds every ancestor at or
 * above g: windows of growing depth below the older tip keep the usual case (a recent fork) to a few rows instead of
 * the whole history. JDBC in the caller's transaction (callers hold the branch lock and have written nothing yet).
 */
class CommitGraphImpl implements CommitGraph {

    private final JdbcClient jdbc;

    CommitGraphImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
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
}

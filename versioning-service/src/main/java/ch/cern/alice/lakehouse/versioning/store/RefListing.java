package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Branches and tags as one list for pickers: {@code main} first, then tags (newest first), then the other branches by
 * last update (newest first), each page filtered in Postgres so thousands of branches cost one page.
 */
@Repository
public class RefListing {

    /** One branch or tag; {@code owner} is who created it, {@code updatedAt} its last move (a tag's creation). */
    public record RefEntry(String name, String kind, String commitId, String owner, Instant updatedAt,
                           String message) {
    }

    /**
     * @param query  case-insensitive substring of the name, or null
     * @param prefix name prefix (case-sensitive), or null
     * @param owner  creator, or null
     * @param kind   "branch", "tag" or null for both
     */
    public record Filter(String query, String prefix, String owner, String kind) {
    }

    private static final RowMapper<RefEntry> ROW = (rs, n) -> new RefEntry(rs.getString("name"),
            rs.getString("kind"), rs.getString("commit_id"), rs.getString("owner"),
            rs.getTimestamp("updated_at").toInstant(), rs.getString("message"));

    private static final String ALL = "SELECT name, 'branch' AS kind, head AS commit_id, created_by AS owner, "
            + "updated_at, NULL::text AS message, CASE WHEN name = 'main' THEN 0 ELSE 2 END AS rank "
            + "FROM versioning.branches "
            + "UNION ALL SELECT name, 'tag', commit_id, created_by, created_at, message, 1 FROM versioning.tags";

    private final JdbcClient jdbc;

    public RefListing(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<RefEntry> page(Filter filter, int offset, int limit) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        params.add(limit);
        params.add(offset);
        return jdbc.sql("SELECT * FROM (" + ALL + ") refs" + where
                        + " ORDER BY rank, updated_at DESC, name LIMIT ? OFFSET ?")
                .params(params).query(ROW).list();
    }

    public long count(Filter filter) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        return jdbc.sql("SELECT count(*) FROM (" + ALL + ") refs" + where).params(params).query(Long.class).single();
    }

    private static String where(Filter filter, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (filter.query() != null) {
            conditions.add("strpos(lower(name), lower(?)) > 0");
            params.add(filter.query());
        }
        if (filter.prefix() != null) {
            conditions.add("starts_with(name, ?)");
            params.add(filter.prefix());
        }
        if (filter.owner() != null) {
            conditions.add("owner = ?");
            params.add(filter.owner());
        }
        if (filter.kind() != null) {
            conditions.add("kind = ?");
            params.add(filter.kind());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}

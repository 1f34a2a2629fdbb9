package ch.cern.alice.lakehouse.versioning.retention;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

/** Which table versions are referenced by a tag or a branch head. */
@Repository
public class PinRepository {

    public record Pin(String table, long version, String kind, String name, String commitId) {
    }

    private final JdbcClient jdbc;

    public PinRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param table a table name, or null for every table */
    public List<Pin> pins(String table) {
        return jdbc.sql("SELECT t.key AS tbl, t.value::bigint AS version, p.kind, p.name, p.commit_id FROM ("
                        + " SELECT 'tag' AS kind, name, commit_id FROM versioning.tags"
                        + " UNION ALL SELECT 'branch', name, head FROM versioning.branches) p"
                        + " JOIN versioning.commits c ON c.id = p.commit_id"
                        + " CROSS JOIN LATERAL jsonb_each_text(c.tables) t"
                        + " WHERE (CAST(? AS text) IS NULL OR t.key = ?)"
                        + " ORDER BY t.key, t.value::bigint, p.kind, p.name")
                .params(table, table)
                .query((rs, n) -> new Pin(rs.getString("tbl"), rs.getLong("version"), rs.getString("kind"),
                        rs.getString("name"), rs.getString("commit_id")))
                .list();
    }
}

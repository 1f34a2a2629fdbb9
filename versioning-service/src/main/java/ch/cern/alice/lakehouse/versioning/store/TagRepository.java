package ch.cern.alice.lakehouse.versioning.store;

import ch.cern.alice.lakehouse.versioning.domain.Tag;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Repository
public class TagRepository {

    private static final RowMapper<Tag> ROW = (rs, n) -> new Tag(rs.getString("name"), rs.getString("commit_id"),
            rs.getString("message"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    private static final String COLUMNS = "name, commit_id, message, created_by, created_at";

    private final JdbcClient jdbc;

    public TagRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the tag exists already (tags are immutable: never overwritten) */
    public boolean insert(Tag tag) {
        return jdbc.sql("INSERT INTO versioning.tags (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO NOTHING")
                .params(tag.name(), tag.commitId(), tag.message(), tag.createdBy(), Timestamp.from(tag.createdAt()))
                .update() == 1;
    }

    public Optional<Tag> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM versioning.tags WHERE name = ?").param(name).query(ROW)
                .optional();
    }

    public List<Tag> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM versioning.tags ORDER BY name").query(ROW).list();
    }

    public boolean delete(String name) {
        return jdbc.sql("DELETE FROM versioning.tags WHERE name = ?").param(name).update() == 1;
    }
}

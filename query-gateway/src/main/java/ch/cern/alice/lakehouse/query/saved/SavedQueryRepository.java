package ch.cern.alice.lakehouse.query.saved;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Repository
public class SavedQueryRepository {

    private static final TypeReference<List<ParameterDefinition>> PARAMETERS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<SavedQuery> mapper;

    public SavedQueryRepository(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.mapper = (rs, i) -> new SavedQuery(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("sql_text"), json.readValue(rs.getString("parameters"), PARAMETERS),
                rs.getString("owner"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    public long insert(SavedQueryInput in, String owner) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO query.saved_query (name, description, sql_text, "
                    + "parameters, owner, created_at, updated_at) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?)",
                    new String[] {"id"});
            ps.setString(1, in.name());
            ps.setString(2, in.description() == null ? "" : in.description());
            ps.setString(3, in.sql());
            ps.setString(4, json.writeValueAsString(in.parametersOrEmpty()));
            ps.setString(5, owner);
            ps.setTimestamp(6, now);
            ps.setTimestamp(7, now);
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    public boolean update(long id, SavedQueryInput in) {
        return jdbc.update("UPDATE query.saved_query SET name = ?, description = ?, sql_text = ?, "
                        + "parameters = ?::jsonb, updated_at = ? WHERE id = ?", in.name(),
                in.description() == null ? "" : in.description(), in.sql(),
                json.writeValueAsString(in.parametersOrEmpty()), Timestamp.from(Instant.now()), id) == 1;
    }

    public boolean delete(long id) {
        return jdbc.update("DELETE FROM query.saved_query WHERE id = ?", id) == 1;
    }

    public Optional<SavedQuery> find(long id) {
        return jdbc.query("SELECT * FROM query.saved_query WHERE id = ?", mapper, id).stream().findFirst();
    }

    public List<SavedQuery> all() {
        return jdbc.query("SELECT * FROM query.saved_query ORDER BY name", mapper);
    }
}

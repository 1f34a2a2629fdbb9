package ch.cern.alice.lakehouse.query.saved;

import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.QueryNotFoundException;
import ch.cern.alice.lakehouse.query.domain.QueryRequest;
import ch.cern.alice.lakehouse.query.domain.QueryService;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.StatementGuard;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Saved queries: stored read-only SQL templates with typed parameters that viewers may run. */
@Service
public class SavedQueryService {

    private static final TypeReference<List<ParameterDefinition>> PARAMETERS = new TypeReference<>() {
    };
    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final SavedQueryRepository repository;
    private final StatementGuard guard;
    private final QueryService queries;
    private final JsonMapper json;

    public SavedQueryService(SavedQueryRepository repository, StatementGuard guard, QueryService queries,
                             JsonMapper json) {
        this.repository = repository;
        this.guard = guard;
        this.queries = queries;
        this.json = json;
    }

    public SavedQuery create(SavedQueryInput in, String owner) {
        validate(in);
        Instant now = now();
        SavedQueryRow row = new SavedQueryRow(owner, now);
        edit(row, in, now);
        try {
            return view(repository.saveAndFlush(row));
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(in, e);
        }
    }

    /** Only the owner or an admin may change it; a query owned by nobody is changed by admins only. */
    public SavedQuery update(long id, SavedQueryInput in, String user, boolean admin) {
        SavedQueryRow row = row(id);
        mayChange(view(row), user, admin, "edit");
        validate(in);
        edit(row, in, now());
        try {
            return view(repository.saveAndFlush(row));
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(in, e);
        }
    }

    /** At the database's precision, so what is returned now equals what is read back later. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void edit(SavedQueryRow row, SavedQueryInput in, Instant now) {
        row.edit(in.name(), in.description() == null ? "" : in.description(), in.sql(),
                json.writeValueAsString(in.parametersOrEmpty()), now);
    }

    /** The name is unique: its violation is the caller's mistake (400); any other violation is not. */
    private static RuntimeException nameTaken(SavedQueryInput in, DataIntegrityViolationException e) {
        if (e instanceof DuplicateKeyException || isUniqueViolation(e)) {
            return new InvalidQueryException("a saved query named '" + in.name() + "' exists already");
        }
        return e;
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public void delete(long id, String user, boolean admin) {
        mayChange(get(id), user, admin, "delete");
        if (repository.deleteOne(id) != 1) {
            throw new QueryNotFoundException("saved query " + id);
        }
    }

    private static void mayChange(SavedQuery saved, String user, boolean admin, String action) {
        if (admin || (saved.owner() != null && saved.owner().equals(user))) {
            return;
        }
        throw new SavedQueryForbiddenException("saved query " + saved.id() + " belongs to "
                + (saved.owner() == null ? "nobody (admins only)" : "'" + saved.owner() + "'")
                + ": only its owner or an admin may " + action + " it; you may read and run it");
    }

    public SavedQuery get(long id) {
        return view(row(id));
    }

    public List<SavedQuery> all() {
        return repository.findAllByOrderByNameAsc().stream().map(this::view).toList();
    }

    private SavedQueryRow row(long id) {
        return repository.findById(id).orElseThrow(() -> new QueryNotFoundException("saved query " + id));
    }

    private SavedQuery view(SavedQueryRow row) {
        return new SavedQuery(row.id(), row.name(), row.description(), row.sql(),
                json.readValue(row.parameters(), PARAMETERS), row.owner(), row.createdAt(), row.updatedAt());
    }

    /** Binds the parameters (typed, quoted literals) and starts the query as a read. */
    public QueryExecution run(long id, Map<String, Object> parameters, String ref, Integer maxRows, String user) {
        SavedQuery saved = get(id);
        String sql = ParameterBinder.bind(saved.sql(), saved.parameters(),
                parameters == null ? Map.of() : parameters);
        return queries.submit(new QueryRequest(user, saved.sql(), sql, ref, maxRows, false, saved.id()));
    }

    /** The template must be one read-only statement once its parameters are bound (checked with sample values). */
    private void validate(SavedQueryInput in) {
        if (in.name() == null || in.name().isBlank()) {
            throw new InvalidQueryException("name is required");
        }
        if (in.sql() == null || in.sql().isBlank()) {
            throw new InvalidQueryException("sql is required");
        }
        Set<String> defined = in.parametersOrEmpty().stream().map(ParameterDefinition::name)
                .collect(Collectors.toSet());
        Set<String> used = ParameterBinder.placeholders(in.sql());
        for (String name : used) {
            if (!defined.contains(name)) {
                throw new InvalidQueryException("placeholder '" + name + "' has no parameter definition");
            }
        }
        Map<String, Object> samples = new HashMap<>();
        for (ParameterDefinition p : in.parametersOrEmpty()) {
            samples.put(p.name(), p.defaultValue() != null ? p.defaultValue() : sample(p.type()));
        }
        guard.parseAllowed(ParameterBinder.bind(in.sql(), in.parametersOrEmpty(), samples), false);
    }

    private static String sample(ParameterType type) {
        return switch (type) {
            case STRING -> "x";
            case BIGINT -> "0";
            case DOUBLE -> "0.5";
            case BOOLEAN -> "true";
            case DATE -> "2026-01-01";
            case TIMESTAMP -> "2026-01-01T00:00:00Z";
        };
    }
}

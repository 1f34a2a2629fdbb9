package ch.cern.alice.lakehouse.query.saved;

import ch.cern.alice.lakehouse.query.domain.QueryExecution;
import ch.cern.alice.lakehouse.query.domain.QueryNotFoundException;
import ch.cern.alice.lakehouse.query.domain.QueryRequest;
import ch.cern.alice.lakehouse.query.domain.QueryService;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.StatementGuard;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Saved queries: stored read-only SQL templates with typed parameters that viewers may run. */
@Service
public class SavedQueryService {

    private final SavedQueryRepository repository;
    private final StatementGuard guard;
    private final QueryService queries;

    public SavedQueryService(SavedQueryRepository repository, StatementGuard guard, QueryService queries) {
        this.repository = repository;
        this.guard = guard;
        this.queries = queries;
    }

    public SavedQuery create(SavedQueryInput in, String owner) {
        validate(in);
        try {
            return get(repository.insert(in, owner));
        } catch (DuplicateKeyException e) {
            throw new InvalidQueryException("a saved query named '" + in.name() + "' exists already");
        }
    }

    /** Only the owner or an admin may change it; a query owned by nobody is changed by admins only. */
    public SavedQuery update(long id, SavedQueryInput in, String user, boolean admin) {
        mayChange(get(id), user, admin, "edit");
        validate(in);
        try {
            if (!repository.update(id, in)) {
                throw new QueryNotFoundException("saved query " + id);
            }
        } catch (DuplicateKeyException e) {
            throw new InvalidQueryException("a saved query named '" + in.name() + "' exists already");
        }
        return get(id);
    }

    public void delete(long id, String user, boolean admin) {
        mayChange(get(id), user, admin, "delete");
        if (!repository.delete(id)) {
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
        return repository.find(id).orElseThrow(() -> new QueryNotFoundException("saved query " + id));
    }

    public List<SavedQuery> all() {
        return repository.all();
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

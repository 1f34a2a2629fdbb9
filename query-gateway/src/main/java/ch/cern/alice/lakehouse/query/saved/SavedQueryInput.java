package ch.cern.alice.lakehouse.query.saved;

import java.util.List;

/** Body of POST/PUT /api/v1/saved-queries. */
public record SavedQueryInput(String name, String description, String sql, List<ParameterDefinition> parameters) {

    public List<ParameterDefinition> parametersOrEmpty() {
        return parameters == null ? List.of() : parameters;
    }
}

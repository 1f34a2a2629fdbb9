package ch.cern.alice.lakehouse.query.saved;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;

/**
 * A named parameter of a saved query, used in its SQL as {@code :name} or {@code {{name}}}.
 *
 * @param defaultValue used when a run does not give the parameter; null = the parameter is required
 */
public record ParameterDefinition(String name, ParameterType type, String defaultValue, String description) {

    public ParameterDefinition {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new InvalidQueryException("parameter name must be an identifier: " + name);
        }
        if (type == null) {
            throw new InvalidQueryException("parameter " + name + " needs a type: " + java.util.Arrays.toString(
                    ParameterType.values()));
        }
        if (defaultValue != null) {
            type.literal(defaultValue); // fail early on a default that does not fit its type
        }
    }
}

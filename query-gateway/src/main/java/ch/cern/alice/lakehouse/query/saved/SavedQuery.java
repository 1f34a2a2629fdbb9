package ch.cern.alice.lakehouse.query.saved;

import java.time.Instant;
import java.util.List;

public record SavedQuery(long id, String name, String description, String sql, List<ParameterDefinition> parameters,
                         String owner, Instant createdAt, Instant updatedAt) {
}

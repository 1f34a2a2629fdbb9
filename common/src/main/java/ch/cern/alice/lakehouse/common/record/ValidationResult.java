package ch.cern.alice.lakehouse.common.record;

import java.util.List;
import java.util.Map;

/**
 * Outcome of validating one record: either the normalized payload (values coerced to their canonical types, in
 * descriptor order) and its dedup key, or the list of errors.
 */
public record ValidationResult(Map<String, Object> payload, String key, List<FieldError> errors) {

    public static ValidationResult valid(Map<String, Object> payload, String key) {
        return new ValidationResult(payload, key, List.of());
    }

    public static ValidationResult invalid(List<FieldError> errors) {
        return new ValidationResult(null, null, List.copyOf(errors));
    }

    public boolean isValid() {
        return errors.isEmpty();
    }
}

package ch.cern.alice.lakehouse.common.record;

import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a decoded JSON object against its dataset descriptor. All problems of a record are reported at once so a
 * site can fix them in one go. Unknown fields are errors: silently dropping them would lose data.
 */
public final class RecordValidator {

    private RecordValidator() {
    }

    /**
     * @param site the sending site, from its API key: it owns the record. A dataset's site field must name it
     *             (it is filled in when absent), and it is part of the dedup key.
     */
    public static ValidationResult validate(DatasetDescriptor dataset, Object decoded, String site) {
        if (!(decoded instanceof Map<?, ?> record)) {
            return ValidationResult.invalid(List.of(new FieldError(null,
                    "a record must be a JSON object, got " + (decoded == null ? "null" : kind(decoded)))));
        }
        List<FieldError> errors = new ArrayList<>();
        // sized for all fields of the dataset: growing the map is a visible share of the collector's CPU
        Map<String, Object> normalized = new LinkedHashMap<>(dataset.fields().size() * 4 / 3 + 1);
        for (FieldSpec field : dataset.fields()) {
            Object value = record.get(field.name());
            if (value == null) {
                if (field.required()) {
                    errors.add(new FieldError(field.name(), record.containsKey(field.name())
                            ? "must not be null" : "is required"));
                }
                continue;
            }
            try {
                normalized.put(field.name(), field.type().coerce(value));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field.name(), e.getMessage()));
            }
        }
        dataset.siteField().ifPresent(siteField -> checkSite(siteField, site, normalized, errors));
        for (Object name : record.keySet()) {
            if (dataset.field(String.valueOf(name)).isEmpty()) {
                errors.add(new FieldError(String.valueOf(name), "unknown field for dataset " + dataset.name()));
            }
        }
        if (!errors.isEmpty()) {
            return ValidationResult.invalid(errors);
        }
        return ValidationResult.valid(normalized, dataset.dedupKey(site, normalized));
    }

    private static void checkSite(String siteField, String site, Map<String, Object> normalized,
                                  List<FieldError> errors) {
        Object sent = normalized.get(siteField);
        if (sent == null) {
            normalized.put(siteField, site);
        } else if (!sent.equals(site)) {
            errors.add(new FieldError(siteField, "must be the sending site '" + site
                    + "' (the API key's site owns its records), got '" + sent + "'"));
        }
    }

    private static String kind(Object o) {
        return o instanceof List<?> ? "an array" : o instanceof String ? "a string" : "a " + o.getClass().getSimpleName();
    }
}

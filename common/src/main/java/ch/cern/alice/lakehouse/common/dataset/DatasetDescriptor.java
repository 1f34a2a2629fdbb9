package ch.cern.alice.lakehouse.common.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything the platform needs to know about one dataset: columns, dedup key, time column and partitioning.
 * Validation, Kafka topic, staging, ETL mapping, Delta partitioning and Trino DDL are all driven from it.
 */
public final class DatasetDescriptor {

    public static final String TOPIC_PREFIX = "lakehouse.";
    public static final String DLQ_TOPIC = "lakehouse.dlq";

    private final String name;
    private final String description;
    private final List<FieldSpec> fields;
    private final Map<String, FieldSpec> fieldsByName;
    private final List<String> keyFields;
    private final String timeField;
    private final List<String> partitionColumns;

    public DatasetDescriptor(String name, String description, List<FieldSpec> fields, List<String> keyFields,
                             String timeField, List<String> partitionColumns) {
        this.name = requireIdentifier(name);
        this.description = description == null ? "" : description;
        this.fields = List.copyOf(fields);
        this.fieldsByName = new LinkedHashMap<>();
        for (FieldSpec f : fields) {
            if (fieldsByName.put(f.name(), f) != null) {
                throw new IllegalArgumentException(name + ": duplicate field " + f.name());
            }
        }
        this.keyFields = List.copyOf(keyFields);
        this.timeField = timeField;
        this.partitionColumns = List.copyOf(partitionColumns);
        checkConsistency();
    }

    private void checkConsistency() {
        if (keyFields.isEmpty()) {
            throw new IllegalArgumentException(name + ": a dataset needs a key");
        }
        for (String k : keyFields) {
            FieldSpec f = fieldsByName.get(k);
            if (f == null || !f.required() || f.isDerived()) {
                throw new IllegalArgumentException(name + ": key field " + k + " must be a required, sent field");
            }
        }
        FieldSpec time = fieldsByName.get(timeField);
        if (time == null || !time.type().isTimestamp() || !time.required()) {
            throw new IllegalArgumentException(name + ": time field " + timeField + " must be a required timestamp");
        }
        for (String p : partitionColumns) {
            if (!List.of("year", "month", "day").contains(p)) {
                throw new IllegalArgumentException(name + ": unsupported partition column " + p);
            }
            if (fieldsByName.containsKey(p)) {
                throw new IllegalArgumentException(name + ": partition column " + p + " clashes with a field");
            }
        }
    }

    private static String requireIdentifier(String name) {
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("dataset name must be a lower-case identifier: " + name);
        }
        return name;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    /** Fields that sites send (everything but derived columns). */
    public List<FieldSpec> sentFields() {
        return fields.stream().filter(f -> !f.isDerived()).toList();
    }

    public List<FieldSpec> derivedFields() {
        return fields.stream().filter(FieldSpec::isDerived).toList();
    }

    public Optional<FieldSpec> field(String fieldName) {
        return Optional.ofNullable(fieldsByName.get(fieldName));
    }

    public List<String> keyFields() {
        return keyFields;
    }

    public String timeField() {
        return timeField;
    }

    public FieldSpec timeFieldSpec() {
        return fieldsByName.get(timeField);
    }

    /** Derived partition columns, in order (e.g. year, month). */
    public List<String> partitionColumns() {
        return partitionColumns;
    }

    /** Kafka topic the collector publishes to and the ingest service reads from. */
    public String topic() {
        return TOPIC_PREFIX + name;
    }

    /**
     * The dedup key of a validated record: the key fields' values joined by '|'.
     * Re-sent records get the same key, so staging and the Delta MERGE drop the repeats.
     */
    public String keyOf(Map<String, Object> validatedPayload) {
        if (keyFields.size() == 1) {
            return String.valueOf(validatedPayload.get(keyFields.get(0)));
        }
        return keyFields.stream().map(k -> String.valueOf(validatedPayload.get(k))).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return "DatasetDescriptor[" + name + "]";
    }
}

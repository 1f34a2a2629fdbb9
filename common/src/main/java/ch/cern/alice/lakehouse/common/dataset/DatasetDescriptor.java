package ch.cern.alice.lakehouse.common.dataset;

import ch.cern.alice.lakehouse.common.record.DedupKey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final String siteField;
    private final String orderField;

    public DatasetDescriptor(String name, String description, List<FieldSpec> fields, List<String> keyFields,
                             String timeField, List<String> partitionColumns) {
        this(name, description, fields, keyFields, timeField, partitionColumns, null, null);
    }

    /**
     * @param siteField  the payload field naming the site that sent the record, or null: it must equal the API
     *                   key's site (filled from it when absent)
     * @param orderField the timestamp field that orders updates of one key (e.g. the last state change), or null:
     *                   then the collector's receive time orders them
     */
    public DatasetDescriptor(String name, String description, List<FieldSpec> fields, List<String> keyFields,
                             String timeField, List<String> partitionColumns, String siteField, String orderField) {
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
        this.siteField = siteField;
        this.orderField = orderField;
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
        if (siteField != null) {
            FieldSpec site = fieldsByName.get(siteField);
            if (site == null || site.type() != FieldType.STRING || site.isDerived()) {
                throw new IllegalArgumentException(name + ": site field " + siteField + " must be a sent STRING field");
            }
        }
        if (orderField != null) {
            FieldSpec order = fieldsByName.get(orderField);
            if (order == null || !order.type().isTimestamp() || order.isDerived()) {
                throw new IllegalArgumentException(name + ": order field " + orderField
                        + " must be a sent timestamp field");
            }
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

    /** The payload field naming the sending site, if the dataset has one. */
    public Optional<String> siteField() {
        return Optional.ofNullable(siteField);
    }

    /** The timestamp field ordering updates of one key (newest wins), if the dataset has one. */
    public Optional<String> orderField() {
        return Optional.ofNullable(orderField);
    }

    /**
     * The dedup key of a validated record sent by {@code site}: see {@link DedupKey}. A re-send or an update of the
     * record gets the same key, so staging and the Delta MERGE keep one row for it (the newest).
     */
    public String dedupKey(String site, Map<String, Object> validatedPayload) {
        Object[] values = new Object[keyFields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = validatedPayload.get(keyFields.get(i));
        }
        return DedupKey.of(site, List.of(values));
    }

    @Override
    public String toString() {
        return "DatasetDescriptor[" + name + "]";
    }
}

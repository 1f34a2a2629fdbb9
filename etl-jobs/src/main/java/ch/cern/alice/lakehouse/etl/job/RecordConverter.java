package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;
import ch.cern.alice.lakehouse.common.jdl.JdlParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Staged row (id, dedup_key, site, received_at, payload text, kafka_partition, kafka_offset) -> table row of {@link LakeSchema#converted}.
 * Each payload value is coerced with the descriptor's {@code FieldType}; epoch timestamps become TIMESTAMP, the
 * partition columns come from the time field (UTC), derived columns from the JDL text. A row that cannot be
 * converted is kept with its reason and raw payload so that it lands in the rejects table instead of vanishing.
 */
final class RecordConverter implements MapPartitionsFunction<Row, Row>, Serializable {

    private static final long serialVersionUID = 1L;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final String dataset;
    private final String runId;
    /** Catalog classes are not serializable: each executor looks the descriptor up again. */
    private transient DatasetDescriptor descriptor;
    private transient ObjectMapper mapper;

    RecordConverter(String dataset, String runId) {
        this.dataset = dataset;
        this.runId = runId;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> staged) {
        init();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return staged.hasNext();
            }

            @Override
            public Row next() {
                return convert(staged.next());
            }
        };
    }

    private void init() {
        if (descriptor == null) {
            descriptor = DatasetCatalog.load().get(dataset);
            mapper = new ObjectMapper();
        }
    }

    Row convert(Row staged) {
        init();
        long id = staged.getLong(0);
        String key = staged.getString(1);
        String site = staged.getString(2);
        Timestamp receivedAt = staged.getTimestamp(3);
        String payload = staged.getString(4);
        Object kafkaPartition = staged.get(5);
        Object kafkaOffset = staged.get(6);
        List<FieldSpec> fields = descriptor.fields();
        int partitionCount = descriptor.partitionColumns().size();
        Object[] values = new Object[fields.size() + partitionCount + LakeSchema.LINEAGE_COLUMNS
                + LakeSchema.CONVERTED_EXTRA];
        int extra = fields.size() + partitionCount + LakeSchema.LINEAGE_COLUMNS;
        values[extra] = id;
        values[extra + 1] = key;
        try {
            Map<String, Object> record = mapper.readValue(payload, MAP);
            Map<String, List<String>> jdl = null;
            Long timeMillis = null;
            for (int i = 0; i < fields.size(); i++) {
                FieldSpec f = fields.get(i);
                if (f.isDerived()) {
                    if (jdl == null) {
                        jdl = JdlParser.parse(jdlText(record));
                    }
                    values[i] = JdlParser.derive(f, jdl);
                    continue;
                }
                Object raw = record.get(f.name());
                if (raw == null) {
                    if (f.required()) {
                        throw new IllegalArgumentException("missing required field " + f.name());
                    }
                    continue;
                }
                Object coerced;
                try {
                    coerced = f.type().coerce(raw);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("field " + f.name() + ": " + e.getMessage(), e);
                }
                if (f.type().isTimestamp()) {
                    long millis = f.type().toEpochMillis(coerced);
                    values[i] = new Timestamp(millis);
                    if (f.name().equals(descriptor.timeField())) {
                        timeMillis = millis;
                    }
                } else {
                    values[i] = coerced;
                }
            }
            fillPartitions(values, fields.size(), timeMillis);
        } catch (Exception e) {
            java.util.Arrays.fill(values, 0, extra, null);
            values[extra + 2] = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            values[extra + 3] = payload;
        }
        int lineage = fields.size() + partitionCount;
        values[lineage] = site;
        values[lineage + 1] = receivedAt;
        values[lineage + 2] = runId;
        values[lineage + 3] = kafkaPartition;
        values[lineage + 4] = kafkaOffset;
        return RowFactory.create(values);
    }

    private void fillPartitions(Object[] values, int offset, Long timeMillis) {
        if (descriptor.partitionColumns().isEmpty()) {
            return;
        }
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(timeMillis, MILLIS_PER_DAY));
        for (int p = 0; p < descriptor.partitionColumns().size(); p++) {
            values[offset + p] = switch (descriptor.partitionColumns().get(p)) {
                case "year" -> day.getYear();
                case "month" -> day.getMonthValue();
                case "day" -> day.getDayOfMonth();
                default -> throw new IllegalStateException("partition " + descriptor.partitionColumns().get(p));
            };
        }
    }

    /** The raw JDL a dataset's derived columns are parsed from: its first TEXT field. */
    private String jdlText(Map<String, Object> record) {
        return descriptor.sentFields().stream()
                .filter(f -> f.type() == ch.cern.alice.lakehouse.common.dataset.FieldType.TEXT)
                .map(f -> record.get(f.name()))
                .filter(v -> v instanceof String)
                .map(String.class::cast)
                .findFirst().orElse(null);
    }
}

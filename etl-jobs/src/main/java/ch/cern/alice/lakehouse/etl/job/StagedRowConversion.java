package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;
import ch.cern.alice.lakehouse.common.dataset.FieldType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

/**
 * Staged rows (id, dedup_key, site, received_at, payload text, kafka_partition, kafka_offset) -> rows of {@link LakeSchema#converted}.
 * <p>
 * {@link RecordConverter} defines the conversion. Running it on every row costs a Jackson map, boxed values and a
 * generic Row per record, which made conversion the slowest step of a run. So each payload is first parsed by
 * Spark's own JSON reader with a typed schema derived from the descriptor; a row whose values are all of the
 * plain, well-formed kind (integers for integer columns, numbers for doubles, strings for strings, timestamps in
 * range, required fields present) is converted with SQL expressions that give exactly what RecordConverter would.
 * Every other row (strings holding numbers, bad values, malformed JSON...) goes through RecordConverter itself, so
 * it yields the same value or the same reject reason. Datasets with JDL-derived columns use RecordConverter only.
 */
final class StagedRowConversion {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final String CORRUPT = "_corrupt";
    private static final String PARSED = "_parsed";
    private static final String CONVERTED = "_converted";
    static final String PLAIN = "_plain";

    private StagedRowConversion() {
    }

    static Dataset<Row> convert(Dataset<Row> staged, DatasetDescriptor descriptor, String runId) {
        if (!descriptor.derivedFields().isEmpty()) {
            return convertWithJava(staged, descriptor, runId);
        }
        StructType converted = LakeSchema.converted(descriptor);
        UserDefinedFunction javaConversion = udf(new JavaConversion(new RecordConverter(descriptor.name(), runId)), converted);
        Column byJava = javaConversion.apply(col("id"), col("dedup_key"), col("site"), col("received_at"),
                col("payload"), col("kafka_partition"), col("kafka_offset"));
        return withPlainFlag(staged, descriptor)
                .select(when(col(PLAIN), plainConversion(descriptor, runId)).otherwise(byJava).as(CONVERTED))
                .select(col(CONVERTED + ".*"));
    }

    /** The staged rows plus the parsed payload and {@value #PLAIN}: whether the SQL conversion applies. */
    static Dataset<Row> withPlainFlag(Dataset<Row> staged, DatasetDescriptor descriptor) {
        return PayloadParsing.withParsedPayload(staged, "payload", parseSchema(descriptor), CORRUPT, PARSED)
                .withColumn(PLAIN, plainRow(descriptor));
    }

    /** Every row through {@link RecordConverter}: the reference the SQL path must match. */
    static Dataset<Row> convertWithJava(Dataset<Row> staged, DatasetDescriptor descriptor, String runId) {
        return staged.mapPartitions(new RecordConverter(descriptor.name(), runId),
                RowEncoder.encoderFor(LakeSchema.converted(descriptor)));
    }

    /** The sent fields with the Spark type Spark's JSON reader parses them to, timestamps as their epoch number. */
    private static StructType parseSchema(DatasetDescriptor descriptor) {
        List<StructField> fields = new ArrayList<>();
        for (FieldSpec f : descriptor.sentFields()) {
            fields.add(DataTypes.createStructField(f.name(), parseType(f.type()), true));
        }
        fields.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    private static org.apache.spark.sql.types.DataType parseType(FieldType type) {
        return type.isTimestamp() ? DataTypes.LongType : LakeSchema.sparkType(type);
    }

    private static Column parsed(FieldSpec f) {
        return col(PARSED).getField(f.name());
    }

    /**
     * True when the SQL conversion gives RecordConverter's result. Spark's JSON reader only fills an integer
     * column from an integer token, a double from a number token, a boolean from true/false; anything else marks
     * the record corrupt. Strings need care: Spark also fills them from non-string tokens (as the token's text),
     * which RecordConverter renders differently for numbers like 1.50, or rejects (objects, arrays).
     */
    private static Column plainRow(DatasetDescriptor descriptor) {
        Column ok = col("payload").startsWith("{").and(col(PARSED).isNotNull())
                .and(col(PARSED).getField(CORRUPT).isNull());
        if (!descriptor.partitionColumns().isEmpty()) {
            ok = ok.and(parsed(descriptor.timeFieldSpec()).isNotNull());
        }
        for (FieldSpec f : descriptor.sentFields()) {
            Column v = parsed(f);
            Column valid = switch (f.type()) {
                case DOUBLE -> not(isnan(v).or(abs(v).equalTo(lit(Double.POSITIVE_INFINITY))));
                case STRING, TEXT -> plainText(v);
                // the range FieldType accepts (its one definition)
                case EPOCH_MS, EPOCH_S -> v.between(f.type().minEpochValue(), f.type().maxEpochValue());
                case BIGINT, INT, BOOLEAN -> lit(true);
            };
            ok = ok.and(f.required() ? v.isNotNull().and(valid) : v.isNull().or(valid));
        }
        return coalesce(ok, lit(false));
    }

    /**
     * A string that cannot be the text of a non-string JSON token (those start with a digit, '-', '{' or '['),
     * or the text of an integer that RecordConverter would print the same way.
     */
    private static Column plainText(Column v) {
        Column first = v.substr(1, 1);
        Column notNumberOrStructure = not(first.isin("{", "[", "-", "0", "1", "2", "3", "4", "5", "6", "7", "8",
                "9"));
        Column canonicalInteger = v.try_cast(DataTypes.LongType).cast(DataTypes.StringType).equalTo(v);
        return notNumberOrStructure.or(canonicalInteger);
    }

    private static Column plainConversion(DatasetDescriptor descriptor, String runId) {
        List<Column> values = new ArrayList<>();
        FieldSpec timeField = descriptor.timeFieldSpec();
        for (FieldSpec f : descriptor.fields()) {
            values.add(plainValue(f).as(f.name()));
        }
        Column day = date_from_unix_date(epochMillis(timeField).divide(MILLIS_PER_DAY).cast(DataTypes.LongType)
                .cast(DataTypes.IntegerType));
        for (String p : descriptor.partitionColumns()) {
            Column value = switch (p) {
                case "year" -> year(day);
                case "month" -> month(day);
                case "day" -> dayofmonth(day);
                default -> throw new IllegalStateException("partition " + p);
            };
            values.add(value.as(p));
        }
        values.add(col("site").as(LakeSchema.SITE));
        values.add(col("received_at").as(LakeSchema.RECEIVED_AT));
        values.add(lit(runId).as(LakeSchema.RUN_ID));
        values.add(col("kafka_partition").cast(DataTypes.IntegerType).as(LakeSchema.KAFKA_PARTITION));
        values.add(col("kafka_offset").cast(DataTypes.LongType).as(LakeSchema.KAFKA_OFFSET));
        values.add(col("id").as(LakeSchema.STAGING_ID));
        values.add(col("dedup_key").as(LakeSchema.DEDUP_KEY));
        values.add(lit(null).cast(DataTypes.StringType).as(LakeSchema.REJECT_REASON));
        values.add(lit(null).cast(DataTypes.StringType).as(LakeSchema.RAW_PAYLOAD));
        return struct(values.toArray(Column[]::new));
    }

    private static Column plainValue(FieldSpec f) {
        return f.type().isTimestamp() ? timestamp_millis(epochMillis(f)) : parsed(f);
    }

    private static Column epochMillis(FieldSpec f) {
        return f.type() == FieldType.EPOCH_S ? parsed(f).multiply(1000L) : parsed(f);
    }

    /** RecordConverter as a SQL function, for the rows the SQL conversion leaves to it. */
    private record JavaConversion(RecordConverter converter)
            implements UDF7<Long, String, String, Timestamp, String, Integer, Long, Row> {

        @Override
        public Row call(Long id, String dedupKey, String site, Timestamp receivedAt, String payload,
                        Integer kafkaPartition, Long kafkaOffset) {
            return converter.convert(RowFactory.create(id, dedupKey, site, receivedAt, payload, kafkaPartition,
                    kafkaOffset));
        }
    }
}

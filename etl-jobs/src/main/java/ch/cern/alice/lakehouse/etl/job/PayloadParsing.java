package ch.cern.alice.lakehouse.etl.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.json.JSONOptions;
import org.apache.spark.sql.catalyst.json.JacksonParser;
import org.apache.spark.sql.catalyst.util.FailureSafeParser;
import org.apache.spark.sql.catalyst.util.PermissiveMode$;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.collection.immutable.List$;
import scala.collection.immutable.Map$;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Adds the payload parsed with Spark's own JSON parser as a struct column: what {@code from_json} with
 * {@code mode=PERMISSIVE} and a corrupt-record column gives, value for value (same {@link JacksonParser}, same
 * options). The difference is how the parser reads the text: {@code from_json} wraps every record in an
 * {@code InputStreamReader}, which allocates an 8 KB buffer per record and was 40% of a run's JSON time; here Jackson
 * reads the record's UTF-8 bytes in place.
 */
final class PayloadParsing {

    private PayloadParsing() {
    }

    /**
     * @param parseSchema the struct to parse into; must include {@code corruptColumn} (a string field), which holds
     *                    the record text when it is not valid JSON of that shape
     */
    static Dataset<Row> withParsedPayload(Dataset<Row> rows, String payloadColumn, StructType parseSchema,
                                          String corruptColumn, String parsedColumn) {
        org.apache.spark.sql.classic.Dataset<Row> classic = (org.apache.spark.sql.classic.Dataset<Row>) rows;
        StructType input = rows.schema();
        StructType output = input.add(parsedColumn, parseSchema, true);
        RDD<InternalRow> parsed = classic.queryExecution().toRdd().toJavaRDD()
                .mapPartitions(new ParsePartition(input, input.fieldIndex(payloadColumn), parseSchema, corruptColumn))
                .rdd();
        SparkSession session = classic.sparkSession();
        return session.internalCreateDataFrame(parsed, output, false);
    }

    /** Copies each input row and appends the parsed payload (null when the payload is null). */
    private record ParsePartition(StructType input, int payloadIndex, StructType parseSchema, String corruptColumn)
            implements FlatMapFunction<Iterator<InternalRow>, InternalRow>, Serializable {

        @Override
        public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
            FailureSafeParser<UTF8String> parser = newParser();
            StructField[] fields = input.fields();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public InternalRow next() {
                    InternalRow row = rows.next();
                    Object[] values = new Object[fields.length + 1];
                    for (int i = 0; i < fields.length; i++) {
                        // copies: the scan may reuse the row's buffer for the next record
                        Object v = row.isNullAt(i) ? null : row.get(i, fields[i].dataType());
                        values[i] = v instanceof UTF8String s ? s.copy() : v;
                    }
                    UTF8String payload = (UTF8String) values[payloadIndex];
                    if (payload != null) {
                        scala.collection.Iterator<InternalRow> result = parser.parse(payload);
                        // the parser reuses its result row
                        values[fields.length] = result.hasNext() ? result.next().copy() : null;
                    }
                    return new GenericInternalRow(values);
                }
            };
        }

        private FailureSafeParser<UTF8String> newParser() {
            scala.collection.immutable.Map<String, String> options = Map$.MODULE$.from(CollectionConverters.asScala(
                    java.util.Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", corruptColumn)));
            JSONOptions jsonOptions = new JSONOptions(options, "UTC", corruptColumn);
            StructType withoutCorrupt = DataTypes.createStructType(Arrays.stream(parseSchema.fields())
                    .filter(f -> !f.name().equals(corruptColumn)).toArray(StructField[]::new));
            JacksonParser jackson = new JacksonParser(withoutCorrupt, jsonOptions, false, List$.MODULE$.empty());
            return new FailureSafeParser<>(
                    record -> jackson.parse(record, PayloadParsing::parserOverBytes, text -> text),
                    PermissiveMode$.MODULE$, parseSchema, corruptColumn);
        }
    }

    private static JsonParser parserOverBytes(JsonFactory factory, UTF8String record) {
        ByteBuffer bytes = record.getByteBuffer();
        try {
            return factory.createParser(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

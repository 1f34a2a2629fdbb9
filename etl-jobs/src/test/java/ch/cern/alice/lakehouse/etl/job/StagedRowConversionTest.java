package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL conversion must give exactly what {@link RecordConverter} gives, value for value and reject reason for
 * reject reason, on plain payloads and on every awkward kind of value a site may send.
 */
class StagedRowConversionTest {

    private static final String PLAIN = "{\"job_id\": 7, \"aliencpuefficiency\": 81.25, \"cputime\": 3600.5,"
            + " \"host\": \"wn12.cern.ch\", \"maxrss\": 2100000, \"cpuefficiency\": 80, \"finaltimestamp\": 1717200000123,"
            + " \"masterjobid\": 3000000001, \"pid\": 4242, \"requestedcpus\": 8, \"requestedttl\": 72000,"
            + " \"runningtimestamp\": 1717100000000, \"savingtimestamp\": 1717199000000, \"startedtimestamp\": 1717099000000,"
            + " \"walltime\": 4000, \"maxvirt\": 4000000, \"site\": \"CERN\", \"laststatuschangetimestamp\": 1717200000123}";

    /** Payloads RecordConverter accepts or rejects in its own way; each must come out the same. */
    private static final List<String> AWKWARD = List.of(
            "{\"job_id\": \"42\", \"finaltimestamp\": \"1717200000000\", \"cputime\": \"12.5\", \"walltime\": \" 17 \"}",
            "{\"job_id\": 43, \"finaltimestamp\": 1717200000000, \"maxrss\": 12.0, \"pid\": 1.0E3}",
            "{\"job_id\": 44, \"finaltimestamp\": 1717200000000, \"maxrss\": 12.5}",
            "{\"job_id\": 45, \"finaltimestamp\": 1717200000000, \"host\": 1.50, \"site\": true}",
            "{\"job_id\": 46, \"finaltimestamp\": 1717200000000, \"host\": 123, \"site\": -7}",
            "{\"job_id\": 47, \"finaltimestamp\": 1717200000000, \"host\": {\"a\": 1}}",
            "{\"job_id\": 48, \"finaltimestamp\": 1717200000000, \"host\": [1, 2]}",
            "{\"job_id\": 49, \"cputime\": 12.5}",
            "{\"job_id\": 50, \"finaltimestamp\": 1717200000}",
            "{\"job_id\": 51, \"finaltimestamp\": 1717200000000, \"cputime\": null, \"host\": null}",
            "{\"job_id\": 52, \"finaltimestamp\": 1717200000000, \"cputime\": \"NaN\"}",
            "{\"job_id\": 53, \"finaltimestamp\": 1717200000000, \"cputime\": 1e400}",
            "{\"job_id\": 54, \"finaltimestamp\": 1717200000000, \"requestedcpus\": 3000000000}",
            "[1, 2]",
            "{\"job_id\": 56, \"finaltimestamp\": 1717200000000, \"walltime\": true}",
            "{\"job_id\": 57, \"finaltimestamp\": 1717200000000, \"cputime\": -0, \"cpuefficiency\": -0.0}",
            "{\"job_id\": 58, \"finaltimestamp\": 1717200000000, \"host\": \"\", \"site\": \"-abc\"}",
            "{\"job_id\": 59, \"finaltimestamp\": 1717200000000, \"unknown\": {\"x\": [1]}, \"host\": \"h\\u00e9\\\"q\"}",
            "{\"job_id\": 9223372036854775808, \"finaltimestamp\": 1717200000000}",
            "{\"job_id\": 61, \"finaltimestamp\": 4102444800999, \"walltime\": \"\"}",
            "{\"job_id\": 62, \"finaltimestamp\": 4102444801000}",
            "{\"job_id\": 63, \"finaltimestamp\": 1717200000000, \"requestedcpus\": \"true\", \"host\": \"0123\"}",
            "{\"job_id\": 64, \"finaltimestamp\": 946684800000, \"cputime\": 123456789012345678901234567890}",
            "not json at all");

    private static SparkSession spark;
    private static DatasetDescriptor trace;

    @BeforeAll
    static void start() {
        trace = DatasetCatalog.load().get("trace");
        JobConfig config = JobConfig.from(new String[]{"--dataset=trace", "--run-id=r"}, java.util.Map.of());
        spark = SparkSession.builder().config(EtlJobMain.sparkConf(config.withRange(0, 0)))
                .master("local[2]").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void sqlConversionEqualsRecordConverterRowForRow() {
        List<String> payloads = new ArrayList<>(AWKWARD);
        payloads.add(0, PLAIN);
        payloads.add(PLAIN.replace("\"job_id\": 7", "\"job_id\": 8").replace("CERN", "FZK"));
        Dataset<Row> staged = staged(payloads);

        List<Row> bySql = StagedRowConversion.convert(staged, trace, "run-7")
                .orderBy(LakeSchema.STAGING_ID).collectAsList();
        List<Row> byJava = StagedRowConversion.convertWithJava(staged, trace, "run-7")
                .orderBy(LakeSchema.STAGING_ID).collectAsList();

        assertThat(bySql).hasSize(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(bySql.get(i)).as("payload %s", payloads.get(i)).isEqualTo(byJava.get(i));
        }
        long rejected = bySql.stream().filter(r -> r.getAs(LakeSchema.REJECT_REASON) != null).count();
        assertThat(rejected).isEqualTo(15);
        Row first = bySql.get(0);
        assertThat(first.<Long>getAs("job_id")).isEqualTo(7L);
        assertThat(first.<Timestamp>getAs("finaltimestamp").getTime()).isEqualTo(1_717_200_000_123L);
        assertThat(first.<Double>getAs("cpuefficiency")).isEqualTo(80.0);
        assertThat(first.<Integer>getAs("month")).isEqualTo(6);
        assertThat(first.<String>getAs(LakeSchema.RUN_ID)).isEqualTo("run-7");
        assertThat(first.<Integer>getAs(LakeSchema.KAFKA_PARTITION)).isNull();
        Row second = bySql.get(1);
        assertThat(second.<Integer>getAs(LakeSchema.KAFKA_PARTITION)).isEqualTo(1);
        assertThat(second.<Long>getAs(LakeSchema.KAFKA_OFFSET)).isEqualTo(1001L);
    }

    @Test
    void plainPayloadsTakeTheSqlPathAndAwkwardOnesRecordConverter() {
        List<String> payloads = new ArrayList<>(AWKWARD);
        payloads.add(PLAIN);
        List<Row> flags = StagedRowConversion.withPlainFlag(staged(payloads), trace)
                .select(col("id"), col(StagedRowConversion.PLAIN)).orderBy("id").collectAsList();

        assertThat(flags.get(flags.size() - 1).getBoolean(1)).isTrue();
        // integers sent for strings, -0 for doubles, null values, an unknown field and escapes, a double beyond
        // long range: still plain (the other test shows they convert exactly as RecordConverter does)
        assertThat(flags.stream().filter(r -> r.getBoolean(1)).map(r -> r.getLong(0)).toList())
                .containsExactly(4L, 9L, 15L, 17L, 22L, (long) payloads.size() - 1);
    }

    @Test
    void datasetsWithDerivedColumnsUseRecordConverter() {
        DatasetDescriptor jdl = DatasetCatalog.load().get("jdl");
        Dataset<Row> staged = staged(List.of("{\"job_id\": 1, \"submit_timestamp\": 1717200000, "
                + "\"jdl_text\": \"User = alidaq;\\nCPUCores = 4;\"}"));
        Row row = StagedRowConversion.convert(staged, jdl, "run-j").first();
        assertThat(row.<String>getAs("user_name")).isEqualTo("alidaq");
        assertThat(row.<Integer>getAs("cpu_cores")).isEqualTo(4);
    }

    /**
     * The SQL path against the one definition of each type's checks (FieldType, through RecordConverter): fields
     * of the types the SQL path converts (BIGINT, INT, DOUBLE, STRING, EPOCH_MS in trace; EPOCH_S, INT, STRING in
     * job_info), each sent every edge value, convert exactly as RecordConverter converts them.
     */
    @Test
    void everyFieldTypeAndEdgeValueConvertsAsFieldTypeSays() {
        String[] literals = {"0", "-1", "7", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                "9223372036854775808", "1.0", "1.5", "-0.0", "1e400", "1E3", "946684800", "946684799", "4102444800",
                "4102444801", "946684800000", "946684799999", "4102444800999", "4102444801000", "\"\"", "\"17\"",
                "\"1.5\"", "\"true\"", "\"x\"", "true", "false", "null", "{}", "[]"};
        assertSqlEqualsJava(trace, "\"finaltimestamp\": 1717200000000", literals,
                List.of("maxrss", "requestedcpus", "cputime", "host", "startedtimestamp"));
        assertSqlEqualsJava(DatasetCatalog.load().get("job_info"),
                "\"status\": \"DONE\", \"job_submit_timestamp\": 1717200000", literals,
                List.of("split", "user_name", "job_start_timestamp"));
    }

    private static void assertSqlEqualsJava(DatasetDescriptor descriptor, String required, String[] literals,
                                            List<String> fields) {
        List<String> payloads = new ArrayList<>();
        for (String field : fields) {
            for (String literal : literals) {
                payloads.add("{\"job_id\": " + payloads.size() + ", " + required + ", \"" + field + "\": "
                        + literal + "}");
            }
        }
        for (String literal : literals) {
            // the time field (last in required) and the key sent the edge value too
            payloads.add("{" + required.substring(0, required.lastIndexOf(':') + 1) + " " + literal
                    + ", \"job_id\": " + literal + "}");
        }
        Dataset<Row> staged = staged(payloads);

        List<Row> bySql = StagedRowConversion.convert(staged, descriptor, "run-t").orderBy(LakeSchema.STAGING_ID)
                .collectAsList();
        List<Row> byJava = StagedRowConversion.convertWithJava(staged, descriptor, "run-t")
                .orderBy(LakeSchema.STAGING_ID).collectAsList();
        long plain = StagedRowConversion.withPlainFlag(staged, descriptor).filter(col(StagedRowConversion.PLAIN))
                .count();

        assertThat(bySql).hasSize(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(bySql.get(i)).as("payload %s", payloads.get(i)).isEqualTo(byJava.get(i));
        }
        assertThat(plain).as("the SQL path takes the plain values").isGreaterThan(payloads.size() / 4);
    }

    private static Dataset<Row> staged(List<String> payloads) {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("dedup_key", DataTypes.StringType)
                .add("site", DataTypes.StringType)
                .add("received_at", DataTypes.TimestampType)
                .add("payload", DataTypes.StringType)
                .add("kafka_partition", DataTypes.IntegerType)
                .add("kafka_offset", DataTypes.LongType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            // rows staged before ingest recorded Kafka positions have none
            rows.add(RowFactory.create((long) i, "k" + i, "GSI", new Timestamp(1_717_000_000_000L + i),
                    payloads.get(i), i % 3 == 0 ? null : i % 2, i % 3 == 0 ? null : 1000L + i));
        }
        return spark.createDataFrame(rows, schema);
    }
}

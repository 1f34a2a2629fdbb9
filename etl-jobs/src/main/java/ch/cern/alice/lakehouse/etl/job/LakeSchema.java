package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;
import ch.cern.alice.lakehouse.common.dataset.FieldType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns of a dataset's Delta table: the descriptor's fields (sent and derived, timestamps as TIMESTAMP), its
 * partition columns, then the lineage columns {@code _site}, {@code _received_at}, {@code _etl_run_id},
 * {@code _kafka_partition}, {@code _kafka_offset} (the last two nullable: rows staged before ingest recorded them,
 * and tables created before they existed, which gain them on their next MERGE). The converter's working rows carry
 * four more columns that never reach the table (see {@link #CONVERTED_EXTRA}).
 */
final class LakeSchema {

    static final String SITE = "_site";
    static final String RECEIVED_AT = "_received_at";
    static final String RUN_ID = "_etl_run_id";
    static final String KAFKA_PARTITION = "_kafka_partition";
    static final String KAFKA_OFFSET = "_kafka_offset";
    /** Lineage columns after the partition columns: site, receive time, run id, Kafka partition, Kafka offset. */
    static final int LINEAGE_COLUMNS = 5;
    static final String STAGING_ID = "_staging_id";
    static final String DEDUP_KEY = "_dedup_key";
    static final String REJECT_REASON = "_reject_reason";
    static final String RAW_PAYLOAD = "_raw_payload";
    /** Working columns after the table columns: staging id, dedup key, reject reason, raw payload (rejects only). */
    static final int CONVERTED_EXTRA = 4;

    private LakeSchema() {
    }

    static StructType table(DatasetDescriptor d) {
        List<StructField> fields = new ArrayList<>();
        for (FieldSpec f : d.fields()) {
            fields.add(DataTypes.createStructField(f.name(), sparkType(f.type()), !f.required()));
        }
        for (String p : d.partitionColumns()) {
            fields.add(DataTypes.createStructField(p, DataTypes.IntegerType, false));
        }
        fields.add(DataTypes.createStructField(SITE, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(RECEIVED_AT, DataTypes.TimestampType, false));
        fields.add(DataTypes.createStructField(RUN_ID, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(KAFKA_PARTITION, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(KAFKA_OFFSET, DataTypes.LongType, true));
        return DataTypes.createStructType(fields);
    }

    /** Table columns, nullable (a rejected row has none), plus the working columns. */
    static StructType converted(DatasetDescriptor d) {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : table(d).fields()) {
            fields.add(DataTypes.createStructField(f.name(), f.dataType(), true));
        }
        fields.add(DataTypes.createStructField(STAGING_ID, DataTypes.LongType, false));
        fields.add(DataTypes.createStructField(DEDUP_KEY, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(REJECT_REASON, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(RAW_PAYLOAD, DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    static DataType sparkType(FieldType type) {
        return switch (type) {
            case BIGINT -> DataTypes.LongType;
            case INT -> DataTypes.IntegerType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case STRING, TEXT -> DataTypes.StringType;
            case EPOCH_MS, EPOCH_S -> DataTypes.TimestampType;
        };
    }
}

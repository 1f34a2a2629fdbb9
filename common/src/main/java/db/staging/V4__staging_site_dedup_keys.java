package db.staging;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldType;
import ch.cern.alice.lakehouse.common.record.DedupKey;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Staging rows staged before issue #12 carry the old dedup key: the dataset's key values joined by {@code |}, without
 * the site, so ("a|b", "c") and ("a", "b|c") collided. This re-keys them to {@link DedupKey} (site + key values read
 * from the payload, {@code |} and {@code \} escaped) and fills {@code ordered_at} (V3) from the dataset's order
 * field, so they conflict with and compare against new records like rows staged after the upgrade.
 * <p>
 * Java, not SQL, because the key and order fields come from the dataset catalog, which may include operators'
 * descriptors ({@code LAKEHOUSE_DATASETS_DIR}): the same catalog ingest-service validates with. Rows of datasets the
 * catalog does not know are left as they are. Each known dataset's rows are rewritten (delete, insert) with their
 * ids kept; should two old rows get the same new key, only the newest by the update rule stays (order field, then
 * receive time, then id). Key values are read as JSON text ({@code payload::json}), which is what the services'
 * {@code String.valueOf} of the value gives for integer, timestamp, string and boolean key fields.
 */
public class V4__staging_site_dedup_keys extends BaseJavaMigration {

    private final DatasetCatalog catalog;

    public V4__staging_site_dedup_keys() {
        this(DatasetCatalog.load());
    }

    V4__staging_site_dedup_keys(DatasetCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            for (DatasetDescriptor dataset : catalog.all()) {
                for (String sql : rekey(dataset)) {
                    statement.execute(sql);
                }
            }
        }
    }

    /** The statements re-keying one dataset's staged rows (dataset and field names are checked identifiers). */
    static List<String> rekey(DatasetDescriptor dataset) {
        List<String> parts = new ArrayList<>();
        List<String> nullChecks = new ArrayList<>();
        for (String field : dataset.keyFields()) {
            parts.add(DedupKey.escapeSql("j ->> '" + field + "'"));
            nullChecks.add("j ->> '" + field + "' IS NULL");
        }
        String site = DedupKey.escapeSql("site");
        // a payload without a key value (should not exist: key fields are required) keeps its old key behind its site
        String newKey = "CASE WHEN " + String.join(" OR ", nullChecks) + " THEN " + site + " || '|' || "
                + DedupKey.escapeSql("dedup_key") + " ELSE " + site + " || '|' || "
                + String.join(" || '|' || ", parts) + " END";
        String orderedAt = dataset.orderField().map(field -> {
            String unit = dataset.field(field).orElseThrow().type() == FieldType.EPOCH_S ? "second" : "millisecond";
            String value = "j ->> '" + field + "'";
            return "CASE WHEN " + value + " ~ '^-?[0-9]{1,18}$' THEN timestamptz 'epoch' + (" + value
                    + ")::bigint * interval '1 " + unit + "' END";
        }).orElse("ordered_at");
        String name = "'" + dataset.name() + "'";
        return List.of(
                "CREATE TEMP TABLE staging_rekey AS SELECT r.id, r.dataset, " + newKey + " AS dedup_key, r.site, "
                        + "r.received_at, r.staged_at, r.payload, " + orderedAt + " AS ordered_at, r.kafka_partition, "
                        + "r.kafka_offset FROM (SELECT *, payload::json AS j FROM staging.records WHERE dataset = "
                        + name + " OFFSET 0) r", // OFFSET 0: parse each payload once
                "DELETE FROM staging.records WHERE dataset = " + name,
                "INSERT INTO staging.records (id, dataset, dedup_key, site, received_at, staged_at, payload, ordered_at, "
                        + "kafka_partition, kafka_offset) SELECT DISTINCT ON (dedup_key) id, dataset, dedup_key, site, "
                        + "received_at, staged_at, payload, ordered_at, kafka_partition, kafka_offset FROM staging_rekey "
                        + "ORDER BY dedup_key, ordered_at DESC NULLS LAST, received_at DESC, "
                        + "kafka_partition DESC NULLS LAST, kafka_offset DESC NULLS LAST, id DESC",
                "DROP TABLE staging_rekey");
    }
}

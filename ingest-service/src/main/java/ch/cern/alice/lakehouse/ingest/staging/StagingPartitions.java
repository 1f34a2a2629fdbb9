package ch.cern.alice.lakehouse.ingest.staging;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.staging.StagingLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes sure {@code staging.records} has a list partition {@code staging.records_<dataset>} for every dataset of the
 * catalog, so a new descriptor gets its partition with no code. Runs once at start-up, after the Flyway migration
 * and before the Kafka listener starts. Rows of the dataset that had fallen into the default partition are moved
 * into the new one. An advisory lock serialises concurrent starts of several instances.
 */
@Component
public class StagingPartitions implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(StagingPartitions.class);
    private static final long ADVISORY_LOCK_KEY = 0x1a11ce_57a9L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DatasetCatalog catalog;

    /** The Flyway initializer is taken only to run after the migration. */
    public StagingPartitions(JdbcTemplate jdbc, TransactionTemplate transactions, DatasetCatalog catalog,
                             ObjectProvider<FlywayMigrationInitializer> migration) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.catalog = catalog;
        migration.ifAvailable(m -> { });
    }

    @Override
    public void afterPropertiesSet() {
        ensureAll();
    }

    /** Creates the missing partitions; returns the datasets whose partition was created. */
    public List<String> ensureAll() {
        List<String> created = transactions.execute(status -> {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, ADVISORY_LOCK_KEY);
            Set<String> existing = existing();
            return catalog.all().stream().map(DatasetDescriptor::name)
                    .filter(name -> !existing.contains(tableName(name)))
                    .peek(this::create)
                    .toList();
        });
        if (created.isEmpty()) {
            log.info("Staging partitions present for all {} datasets", catalog.names().size());
        } else {
            log.info("Created staging partitions for datasets {}", created);
        }
        return created;
    }

    /** Names of the partitions of staging.records (without schema), the default one included. */
    public Set<String> existing() {
        return new TreeSet<>(jdbc.queryForList("""
                SELECT child.relname FROM pg_inherits i
                JOIN pg_class child ON child.oid = i.inhrelid
                JOIN pg_class parent ON parent.oid = i.inhparent
                JOIN pg_namespace ns ON ns.oid = parent.relnamespace
                WHERE ns.nspname = 'staging' AND parent.relname = 'records'""", String.class));
    }

    /** The partition's name without schema, {@link StagingLayout#partitionName}. */
    public static String tableName(String dataset) {
        return StagingLayout.partitionName(dataset);
    }

    private void create(String dataset) {
        // dataset names are lower-case identifiers (checked by DatasetDescriptor and StagingLayout), safe to inline
        String table = StagingLayout.partition(dataset);
        String values = "FOR VALUES IN ('" + dataset + "')";
        Boolean strayRows = jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM " + StagingLayout.DEFAULT_PARTITION + " WHERE dataset = ?)", Boolean.class,
                dataset);
        if (Boolean.TRUE.equals(strayRows)) {
            jdbc.execute("CREATE TABLE " + table + " (LIKE " + StagingLayout.RECORDS
                    + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            int moved = jdbc.update("WITH moved AS (DELETE FROM " + StagingLayout.DEFAULT_PARTITION
                    + " WHERE dataset = ? RETURNING *) INSERT INTO " + table + " SELECT * FROM moved", dataset);
            jdbc.execute("ALTER TABLE " + StagingLayout.RECORDS + " ATTACH PARTITION " + table + " " + values);
            log.warn("Moved {} rows of dataset {} from the default staging partition into {}", moved, dataset, table);
        } else {
            jdbc.execute("CREATE TABLE " + table + " PARTITION OF " + StagingLayout.RECORDS + " " + values);
        }
    }
}

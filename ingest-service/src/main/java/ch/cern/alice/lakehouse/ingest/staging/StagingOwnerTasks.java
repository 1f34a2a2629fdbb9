package ch.cern.alice.lakehouse.ingest.staging;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What only staging's owner may do, done on the staging migration's own connection right after it (a Flyway
 * callback of the Spring Boot managed migration): create the missing dataset partitions ({@link StagingPartitions})
 * and keep staging's Flyway history to the owner. In a deployment the migration logs in as the owner role
 * ({@code LAKEHOUSE_STAGING_DB_USER}, lakehouse_staging) while the service writes rows as its own role
 * ({@code LAKEHOUSE_DB_USER}, lakehouse_ingest), which may not create tables in staging (deploy/postgres/roles.sql,
 * docs/security.md "Least privilege"); the partition check at start-up then finds every partition present.
 * The owner's default privileges in staging hand the new partitions to the ingest and ETL roles; they would hand
 * them the history table too, which is why its grants are taken back here.
 */
@Component
public class StagingOwnerTasks implements Callback {

    private static final Logger log = LoggerFactory.getLogger(StagingOwnerTasks.class);

    private final DatasetCatalog catalog;

    public StagingOwnerTasks(DatasetCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return false; // StagingPartitions runs its own transaction
    }

    @Override
    public void handle(Event event, Context context) {
        SingleConnectionDataSource connection = new SingleConnectionDataSource(context.getConnection(), true);
        JdbcTemplate jdbc = new JdbcTemplate(connection);
        new StagingPartitions(jdbc, new TransactionTemplate(new DataSourceTransactionManager(connection)), catalog,
                new StaticListableBeanFactory().getBeanProvider(FlywayMigrationInitializer.class)).ensureAll();
        String schema = context.getConfiguration().getDefaultSchema() != null
                ? context.getConfiguration().getDefaultSchema() : context.getConfiguration().getSchemas()[0];
        keepToOwner(jdbc, schema, context.getConfiguration().getTable());
    }

    /** Revokes every grant on the table but its owner's (none when nobody else has one). */
    static void keepToOwner(JdbcTemplate jdbc, String schema, String table) {
        String qualified = jdbc.queryForObject("SELECT quote_ident(?) || '.' || quote_ident(?)", String.class,
                schema, table);
        String grantees = jdbc.queryForObject("""
                SELECT string_agg(DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END, ', ')
                FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
                WHERE c.oid = to_regclass(?) AND a.grantee <> c.relowner""", String.class, qualified);
        if (grantees != null) {
            jdbc.execute("REVOKE ALL ON TABLE " + qualified + " FROM " + grantees);
            log.info("{} is its owner's alone: revoked the grants of {}", qualified, grantees);
        }
    }

    @Override
    public String getCallbackName() {
        return "staging-owner-tasks";
    }
}

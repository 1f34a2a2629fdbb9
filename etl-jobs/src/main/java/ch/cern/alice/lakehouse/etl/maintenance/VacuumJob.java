package ch.cern.alice.lakehouse.etl.maintenance;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * Delta VACUUM: deletes data files that the table removed more than {@code retainHours} ago (and stray files older
 * than that). etl-service picks the retention from versioning-service's retention check, so the files of every
 * version a tag or branch head pins stay; a retention below the table's {@code delta.deletedFileRetentionDuration}
 * (Delta's safety minimum, 7 days by default) is refused unless the request explicitly allows it.
 */
public final class VacuumJob {

    static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
    static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

    private final SparkSession spark;

    public VacuumJob(SparkSession spark) {
        this.spark = spark;
    }

    public MaintenanceResult run(MaintenanceRequest request) {
        long start = System.currentTimeMillis();
        String path = request.tablePath();
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return new MaintenanceResult(MaintenanceRequest.VACUUM, request.dataset(), 0, 0, 0, 0, -1, false,
                    List.of(), request.retainHours(), System.currentTimeMillis() - start);
        }
        // Delta rounds the retention to whole hours (math.round): round up ourselves, never below what was asked
        double retainHours = Math.ceil(request.retainHours());
        LakeFiles.DirectoryFiles before = LakeFiles.directoryFiles(spark, path);
        // a session of its own: relaxing the safety check must not leak into other runs of a long-lived application
        SparkSession session = spark.newSession();
        session.conf().set(RETENTION_CHECK, String.valueOf(!request.allowBelowSafety()));
        // VACUUM lists the table's directories in this many tasks; Spark's default (10,000) costs tens of seconds of
        // task scheduling on a small machine for tables of a few hundred directories
        if (!spark.sparkContext().getConf().contains(LISTING_PARALLELISM)) {
            session.conf().set(LISTING_PARALLELISM,
                    String.valueOf(Math.max(8, 4 * spark.sparkContext().defaultParallelism())));
        }
        try {
            DeltaTable.forPath(session, path).vacuum(retainHours);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("VACUUM of " + request.dataset() + " with a retention of "
                    + retainHours + " h refused by Delta's safety check (below the table's "
                    + "delta.deletedFileRetentionDuration); set ETL_VACUUM_ALLOW_BELOW_SAFETY=true to allow it: "
                    + e.getMessage(), e);
        }
        LakeFiles.DirectoryFiles after = LakeFiles.directoryFiles(spark, path);
        long version = OptimizeJob.version(DeltaTable.forPath(spark, path));
        return new MaintenanceResult(MaintenanceRequest.VACUUM, request.dataset(), before.count(), after.count(),
                before.count() - after.count(), Math.max(0, before.bytes() - after.bytes()), version, false,
                List.of(), retainHours, System.currentTimeMillis() - start);
    }
}

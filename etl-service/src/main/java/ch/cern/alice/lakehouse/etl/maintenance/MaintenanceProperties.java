package ch.cern.alice.lakehouse.etl.maintenance;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Small-file maintenance of the lake tables (issue #14), bound from {@code etl.maintenance.*}.
 *
 * @param optimizeCron       {@code ETL_OPTIMIZE_CRON}: when every dataset gets an OPTIMIZE run ("-" disables)
 * @param optimizeMinFiles   {@code ETL_OPTIMIZE_MIN_FILES}: a partition is compacted once it has this many data files
 * @param vacuumCron         {@code ETL_VACUUM_CRON}: when every dataset gets a VACUUM run ("-" disables)
 * @param vacuumRetainHours  {@code ETL_VACUUM_RETAIN_HOURS}: the least retention of a VACUUM; raised to what
 *                           versioning-service's retention horizon needs so every tagged or branch-head version keeps
 *                           its files
 * @param vacuumAllowBelowSafety {@code ETL_VACUUM_ALLOW_BELOW_SAFETY}: allow a retention below the table's
 *                           {@code delta.deletedFileRetentionDuration} (Delta's 7-day safety minimum)
 * @param vacuumMargin       added to the horizon's minimum retention (the time between asking and deleting)
 */
@ConfigurationProperties("etl.maintenance")
public record MaintenanceProperties(String optimizeCron, int optimizeMinFiles, String vacuumCron,
                                    double vacuumRetainHours, boolean vacuumAllowBelowSafety,
                                    Duration vacuumMargin) {

    public MaintenanceProperties {
        optimizeMinFiles = optimizeMinFiles < 2 ? 16 : optimizeMinFiles;
        if (Double.isNaN(vacuumRetainHours) || vacuumRetainHours < 0) {
            throw new IllegalArgumentException("ETL_VACUUM_RETAIN_HOURS must be a number >= 0");
        }
        vacuumMargin = vacuumMargin == null || vacuumMargin.isNegative() ? Duration.ofHours(1) : vacuumMargin;
    }
}

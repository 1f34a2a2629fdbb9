package ch.cern.alice.lakehouse.etl;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of etl-service, bound from the {@code ETL_*} and {@code LAKEHOUSE_*} variables in application.yml.
 *
 * @param sparkMaster      {@code local[*]}, {@code spark://host:7077} or {@code k8s://https://...}
 * @param sparkJavaOpts    extra JVM options of the Spark JVM, space separated
 * @param sparkConf        extra Spark settings, {@code key=value;key=value}
 * @param sparkAppResource the application jar as the cluster sees it (e.g. {@code local:///opt/etl/etl-jobs.jar}
 *                         for k8s); empty: the etl-jobs jar found in jobsHome
 * @param sparkQuickJitBelowRows local runs of fewer staged rows than this (by their id range) start the Spark JVM
 *                         with the C1 JIT compiler only: a short job spends more CPU compiling Spark's code with C2
 *                         than it gains from it (measured in docs/etl.md); 0 turns this off
 * @param jobsHome         etl-jobs build output: {@code etl-jobs-*.jar} plus {@code classpath.txt} or {@code lib/}
 * @param jobsClasspath    explicit classpath of the Spark JVM (overrides what jobsHome provides)
 * @param javaHome         JDK that runs the Spark JVM; empty: the one running this service
 */
@ConfigurationProperties("etl")
public record EtlProperties(String sparkMaster, String sparkDriverMemory, String sparkJavaOpts, String sparkConf,
                            String sparkAppResource, long sparkQuickJitBelowRows,
                            Path jobsHome, String jobsClasspath, String javaHome, Path logDir,
                            int maxConcurrentRuns, String scheduleCron, long stagedRowsThreshold,
                            Duration thresholdCheckInterval, S3 s3, Callbacks callbacks) {

    public record S3(String endpoint, String accessKey, String secretKey, String bucket, String region) {
    }

    public record Callbacks(String queryUrl, String versioningUrl, String user, String password) {
    }
}

package ch.cern.alice.lakehouse.etl.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Runs left QUEUED or RUNNING by a previous instance that died are marked FAILED ("service restarted"); a Spark JVM
 * it left behind is killed so it cannot write next to the new run. Their watermark never advanced, so the next run
 * redoes their range. A run left in phase {@value RunRepository#PUBLISHING} had migrated its rows and advanced the
 * watermark: its remaining steps are done again and it ends SUCCEEDED. Assumes one etl-service instance per database
 * (one writer per Delta table).
 */
@Component
public class StartupRecovery implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

    private final RunRepository runs;
    private final RunService service;

    public StartupRecovery(RunRepository runs, RunService service) {
        this.runs = runs;
        this.service = service;
    }

    @Override
    public void run(ApplicationArguments args) {
        recover();
    }

    public int recover() {
        int recovered = 0;
        for (EtlRun run : runs.active()) {
            if (run.status() == RunStatus.RUNNING && RunRepository.PUBLISHING.equals(run.phase())) {
                log.warn("ETL run {} of {} had migrated ids ({}, {}] when the service stopped: finishing its staging "
                        + "cleanup, catalog refresh and versioning commit", run.id(), run.dataset(),
                        run.watermarkFrom(), run.watermarkTo());
                service.resumePublishing(run);
                recovered++;
                continue;
            }
            runs.sparkPid(run.id()).flatMap(ProcessHandle::of)
                    .filter(p -> p.info().commandLine().orElse("").contains("SparkSubmit"))
                    .ifPresent(p -> {
                        log.warn("killing Spark job {} left over by run {}", p.pid(), run.id());
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
            runs.markFailed(run.id(), "service restarted");
            log.warn("ETL run {} of {} was {} when the service stopped: marked FAILED, its range is redone by the "
                    + "next run", run.id(), run.dataset(), run.status());
            recovered++;
        }
        return recovered;
    }
}

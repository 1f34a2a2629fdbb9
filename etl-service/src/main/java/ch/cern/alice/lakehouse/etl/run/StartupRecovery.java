package ch.cern.alice.lakehouse.etl.run;

import ch.cern.alice.lakehouse.etl.spark.SparkJobLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs left QUEUED or RUNNING by a previous instance that died are marked FAILED ("service restarted"); a Spark JVM
 * it left behind is killed so it cannot write next to the new run. Their watermark never advanced, so the next run
 * redoes their range. A run left in phase {@value RunRepository#PUBLISHING} had migrated its rows and advanced the
 * watermark: its remaining steps are done again and it ends SUCCEEDED. Assumes one etl-service instance per database
 * (one writer per Delta table).
 * <p>
 * Never a second writer: recovery runs as the first lifecycle phase, before the web server takes requests and before
 * the schedules start, and a left-over job must be gone (killed and its exit seen) before its run is marked FAILED;
 * if it cannot be stopped the service does not start. (Jobs also end themselves when the service that started them
 * dies: see etl-jobs' ParentWatchdog.)
 */
@Component
public class StartupRecovery implements SmartLifecycle {

    /** Before the web server (SmartLifecycle.DEFAULT_PHASE - 1024) and anything else that could start a run. */
    static final int PHASE = Integer.MIN_VALUE + 1000;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

    private final RunRepository runs;
    private final RunService service;

    public StartupRecovery(RunRepository runs, RunService service) {
        this.runs = runs;
        this.service = service;
    }

    private volatile boolean running;

    @Override
    public void start() {
        recover();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
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
                    .filter(p -> isJobOf(p, run.id()))
                    .ifPresent(p -> stopLeftOver(p, run.id()));
            runs.markFailed(run.id(), "service restarted");
            log.warn("ETL run {} of {} was {} when the service stopped: marked FAILED, its range is redone by the "
                    + "next run", run.id(), run.dataset(), run.status());
            recovered++;
        }
        return recovered;
    }

    /**
     * The recorded pid still runs the job of this run, or the warm Spark application that ran it (it ends itself when
     * its service dies, but may still be on its way out); a pid reused by another program is left alone.
     */
    static boolean isJobOf(ProcessHandle process, long runId) {
        List<String> arguments = List.of(process.info().commandLine().orElse("").split(" "));
        return arguments.contains(SparkJobLauncher.JOB_CLASS) && arguments.contains("--run-id=" + runId)
                || arguments.contains(SparkJobLauncher.WARM_CLASS);
    }

    private static void stopLeftOver(ProcessHandle job, long runId) {
        log.warn("killing Spark job {} left over by run {}", job.pid(), runId);
        job.descendants().forEach(ProcessHandle::destroyForcibly);
        job.destroyForcibly();
        try {
            job.onExit().get(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Spark job " + job.pid(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Spark job " + job.pid() + " of run " + runId + " did not stop within "
                    + EXIT_WAIT.toSeconds() + " s: refusing to start a second writer", e);
        }
    }
}

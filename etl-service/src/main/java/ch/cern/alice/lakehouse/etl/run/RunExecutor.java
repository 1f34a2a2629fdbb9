package ch.cern.alice.lakehouse.etl.run;

import ch.cern.alice.lakehouse.etl.config.BucketInitializer;
import ch.cern.alice.lakehouse.etl.spark.SparkJobLauncher;
import ch.cern.alice.lakehouse.etl.spark.SparkJobProcess;
import ch.cern.alice.lakehouse.etl.spark.WarmSparkApplication;
import ch.cern.alice.lakehouse.etl.spark.WarmSparkProperties;
import ch.cern.alice.lakehouse.etl.staging.StagingRepository;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out one run, in the crash-safe order: claim the id range -> Spark MERGE into Delta (idempotent) ->
 * record the job's figures and advance the watermark (one transaction; phase {@value RunRepository#PUBLISHING}) ->
 * delete the staged rows of the range -> refresh the catalog and commit on main -> SUCCEEDED with the outcome of
 * those calls, the run's last write: a client that sees SUCCEEDED (or FAILED) sees everything the run reports. A
 * crash before the watermark transaction leaves the range re-runnable (the MERGE adds nothing twice); a crash after
 * it leaves a {@value RunRepository#PUBLISHING} run that {@link StartupRecovery} finishes.
 * <p>
 * The MERGE runs in the warm Spark application ({@link WarmSparkApplication}; a fresh Spark JVM per run when it is
 * disabled). When that application dies under a run, the run fails with the reason and a new run of the dataset is
 * queued ({@code etl.warm.max-attempts} attempts in all, the retry's requestedBy names the attempt): the range was not
 * committed, the new run claims it again and the MERGE adds nothing twice.
 */
@Component
public class RunExecutor {

    private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);

    private final RunRepository runs;
    private final StagingRepository staging;
    private final SparkJobLauncher launcher;
    private final BucketInitializer bucket;
    private final PostRunNotifier notifier;
    private final TransactionTemplate tx;
    private final WarmSparkApplication warm;
    private final int maxAttempts;
    private final ObjectProvider<RunService> service;
    private final Map<Long, SparkJobProcess> running = new ConcurrentHashMap<>();
    /** Attempt number of runs queued as retries (absent: 1). */
    private final Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    /** Where the time of each run in flight goes (stored with it when it succeeds, see {@link RunPhases}). */
    private final Map<Long, RunPhases> phases = new ConcurrentHashMap<>();

    public RunExecutor(RunRepository runs, StagingRepository staging, SparkJobLauncher launcher,
                       BucketInitializer bucket, PostRunNotifier notifier, TransactionTemplate tx,
                       WarmSparkApplication warm, WarmSparkProperties warmProperties,
                       ObjectProvider<RunService> service) {
        this.runs = runs;
        this.staging = staging;
        this.launcher = launcher;
        this.bucket = bucket;
        this.notifier = notifier;
        this.tx = tx;
        this.warm = warm;
        this.maxAttempts = warmProperties.maxAttempts();
        this.service = service;
    }

    public void execute(long runId) {
        EtlRun run = runs.find(runId).orElse(null);
        if (run == null || !runs.markRunning(runId)) {
            return; // cancelled while queued
        }
        String dataset = run.dataset();
        RunPhases timing = new RunPhases();
        phases.put(runId, timing);
        if (run.createdAt() != null) {
            timing.add("queued", java.time.Duration.between(run.createdAt(), java.time.Instant.now()).toMillis());
        }
        try {
            long[] range = timing.time("claim", () -> {
                long f = runs.committedWatermark(dataset);
                staging.deleteUpTo(dataset, f);
                long t = staging.claim(dataset, f);
                runs.recordRange(runId, f, t);
                return new long[]{f, t};
            });
            long from = range[0];
            long to = range[1];
            if (to <= from) {
                complete(runId, dataset, from, to, JobOutcome.NOTHING);
                return;
            }
            timing.time("bucket", bucket::ensureBucket);
            if (warm.enabled()) {
                executeWarm(run, from, to);
                return;
            }
            SparkJobProcess process = launcher.launch(runId, dataset, from, to);
            running.put(runId, process);
            runs.recordPid(runId, process.pid());
            if (runs.find(runId).map(r -> r.status() == RunStatus.CANCELLED).orElse(true)) {
                process.destroyTree(); // cancelled between claim and launch
            }
            SparkJobProcess.Completion completion = process.await((phase, percent) ->
                    runs.recordProgress(runId, phase, percent));
            if (!completion.succeeded()) {
                runs.markFailed(runId, completion.error() == null ? "Spark job ended without a result" : completion.error());
                return;
            }
            complete(runId, dataset, from, to, outcome(completion.result()));
        } catch (Exception e) {
            log.error("ETL run {} of {} failed", runId, dataset, e);
            runs.markFailed(runId, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            running.remove(runId);
            phases.remove(runId);
            // a retry queued from here has a higher id: only this run's own entry goes
            attempts.remove(runId);
        }
    }

    /** The MERGE of (from, to] in the warm application, then the same steps as a one-shot job's. */
    private void executeWarm(EtlRun run, long from, long to) throws Exception {
        long runId = run.id();
        String dataset = run.dataset();
        RunPhases timing = phases.computeIfAbsent(runId, id -> new RunPhases());
        WarmSparkApplication.ProgressListener listener = new WarmSparkApplication.ProgressListener() {
            @Override
            public void onProgress(String phase, int percent) {
                runs.recordProgress(runId, phase, percent);
            }

            @Override
            public void onPhase(String phase, long ms, long cpuMs) {
                timing.addSpark(phase, ms);
            }
        };
        long submitted = System.nanoTime();
        WarmSparkApplication.Submission submission = timing.time("submit", () -> {
            runs.recordPid(runId, warm.awaitReady());
            return warm.submit(runId, "migrate", dataset, Map.of("from", from, "to", to), listener);
        });
        if (runs.find(runId).map(r -> r.status() == RunStatus.CANCELLED).orElse(true)) {
            warm.cancel(runId); // cancelled between claim and submission
        }
        WarmSparkApplication.Outcome outcome = submission.await();
        // the Spark application's whole share: its phases plus what lies between them (request and result lines)
        timing.add("spark", (System.nanoTime() - submitted) / 1_000_000);
        if (outcome.succeeded()) {
            complete(runId, dataset, from, to, outcome(outcome.result()));
            return;
        }
        if (!outcome.applicationDied() || outcome.shutdown()) {
            runs.markFailed(runId, outcome.shutdown() ? "service stopped during the run" : outcome.error());
            return;
        }
        int attempt = attempts.getOrDefault(runId, 1);
        if (runs.find(runId).map(r -> r.status() != RunStatus.RUNNING).orElse(true)) {
            return; // cancelled: the application was restarted because it did not confirm in time
        }
        boolean retry = attempt < maxAttempts;
        runs.markFailed(runId, outcome.error() + "; attempt " + attempt + " of " + maxAttempts
                + (retry ? ": retried as a new run" : ": no attempts left, the range is redone by the next run"));
        log.warn("ETL run {} of {} (attempt {} of {}) failed: {}", runId, dataset, attempt, maxAttempts,
                outcome.error());
        if (retry) {
            service.getObject().tryTrigger(dataset, run.trigger(),
                            "etl-service (attempt " + (attempt + 1) + " of " + maxAttempts + ", retry of run " + runId + ")")
                    .ifPresentOrElse(next -> {
                                attempts.merge(next.id(), attempt + 1, Math::max);
                                log.info("ETL run {} of {} retries run {}", next.id(), dataset, runId);
                            },
                            () -> log.info("ETL run {} of {} not retried: the dataset has another run already", runId,
                                    dataset));
        }
    }

    private void complete(long runId, String dataset, long from, long to, JobOutcome outcome) {
        long t0 = System.nanoTime();
        Boolean recorded = tx.execute(status -> {
            if (!runs.markMigrated(runId, outcome)) {
                return false; // cancelled meanwhile: the watermark stays, the range is redone by the next run
            }
            runs.advanceWatermark(dataset, to, runId);
            return true;
        });
        RunPhases timing = phases.get(runId);
        if (timing != null) {
            timing.add("record", (System.nanoTime() - t0) / 1_000_000);
        }
        if (Boolean.TRUE.equals(recorded)) {
            publish(runId, dataset, from, to, outcome.deltaVersion() < 0 ? null : outcome.deltaVersion(),
                    outcome.tables(), null);
        }
    }

    /**
     * The steps after the watermark moved, then SUCCEEDED as the last write. Nothing here fails the run: its rows are
     * in Delta; a step that goes wrong is reported in {@code notifications}.
     *
     * @param tables what the versioning commit pins (table -> Delta version, see {@link JobOutcome#tables}), or empty
     * @param note prefix of the notifications (e.g. that the steps were resumed after a restart), or null
     */
    void publish(long runId, String dataset, long from, long to, Long deltaVersion, Map<String, Long> tables,
                 String note) {
        List<String> outcomes = new ArrayList<>();
        if (note != null) {
            outcomes.add(note);
        }
        // null when the run is resumed after a restart: its phases were not seen by this instance
        RunPhases timing = phases.get(runId);
        long t0 = System.nanoTime();
        try {
            int deleted = staging.deleteUpTo(dataset, to);
            log.info("ETL run {} of {}: ids ({}, {}] migrated, {} staged rows deleted", runId, dataset, from, to,
                    deleted);
        } catch (RuntimeException e) {
            log.warn("ETL run {} of {}: deleting the migrated staged rows failed; the next run deletes them", runId,
                    dataset, e);
            outcomes.add("staging cleanup: failed (" + e.getMessage() + "), the next run deletes the rows");
        }
        if (timing != null) {
            timing.add("staging-delete", (System.nanoTime() - t0) / 1_000_000);
        }
        long t1 = System.nanoTime();
        if (to > from) {
            try {
                outcomes.add(notifier.afterSuccess(runId, dataset, deltaVersion, tables));
            } catch (RuntimeException e) {
                log.warn("ETL run {} of {}: notifications failed", runId, dataset, e);
                outcomes.add("notifications: failed (" + e.getMessage() + ")");
            }
        }
        String details = null;
        if (timing != null) {
            timing.add("notify", (System.nanoTime() - t1) / 1_000_000);
            details = timing.toJson();
            log.info("ETL run {} of {}: {} ms in etl-service; {}", runId, dataset, timing.elapsedMs(),
                    timing.summary());
        }
        if (!runs.markSucceeded(runId, outcomes.isEmpty() ? null : String.join("; ", outcomes), details)) {
            log.warn("ETL run {} of {} was no longer {} when it was to be marked SUCCEEDED", runId, dataset,
                    RunRepository.PUBLISHING);
        }
    }

    /** Stops the Spark job of a run, if this instance runs one (in the warm application: a cancel request). */
    public void kill(long runId) {
        SparkJobProcess process = running.get(runId);
        if (process != null) {
            process.destroyTree();
        } else if (warm.enabled()) {
            warm.cancel(runId);
        }
    }

    @PreDestroy
    void stopAll() {
        running.forEach((id, process) -> {
            log.warn("stopping Spark job of run {} on shutdown", id);
            process.destroyTree();
            runs.markFailed(id, "service stopped during the run");
        });
    }

    private static JobOutcome outcome(JsonNode r) {
        Map<String, Long> tables = new LinkedHashMap<>();
        r.path("tables").properties().forEach(e -> {
            if (!e.getValue().isIntegralNumber() || e.getValue().asLong() < 0) {
                throw new IllegalStateException("the job reported table " + e.getKey() + " at version " + e.getValue());
            }
            tables.put(e.getKey(), e.getValue().asLong());
        });
        return new JobOutcome(r.path("rowsRead").asLong(), r.path("rowsWritten").asLong(),
                r.path("rowsRejected").asLong(), r.path("filesWritten").asLong(), r.path("deltaVersion").asLong(-1),
                tables);
    }
}

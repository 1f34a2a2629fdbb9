package ch.cern.alice.lakehouse.simulator;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import ch.cern.alice.lakehouse.simulator.grid.Site;
import ch.cern.alice.lakehouse.simulator.jobs.JobRecords;
import ch.cern.alice.lakehouse.simulator.jobs.JobSimulator;
import ch.cern.alice.lakehouse.simulator.jobs.SimulatedJob;
import ch.cern.alice.lakehouse.simulator.jobs.TimeModel;
import ch.cern.alice.lakehouse.simulator.metrics.MetricsSimulator;
import ch.cern.alice.lakehouse.simulator.send.BatchBuffer;
import ch.cern.alice.lakehouse.simulator.send.CollectorClient;
import ch.cern.alice.lakehouse.simulator.send.PostResult;
import ch.cern.alice.lakehouse.simulator.send.SiteKeys;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One simulator run: N job threads, each generating jobs at its share of the rate, validating every record against
 * its descriptor and posting batches; one metrics thread ticking MonALISA values; a progress line every 5 s.
 */
public final class GridRun {

    private final SimulatorOptions options;
    private final List<Site> sites;
    private final SiteKeys keys;
    private final DatasetCatalog catalog = DatasetCatalog.builtIn();
    private final CollectorClient client;
    private final RunStats stats = new RunStats();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final TimeModel time;

    public GridRun(SimulatorOptions options, List<Site> sites, SiteKeys keys) {
        this.options = options;
        this.sites = sites;
        this.keys = keys;
        this.client = options.dryRun() ? null : new CollectorClient(options.collector());
        this.time = new TimeModel(Clock.systemUTC(), options.history());
    }

    public RunStats run() throws InterruptedException {
        long deadline = options.duration().isZero() ? Long.MAX_VALUE
                : System.nanoTime() + options.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            int index = i;
            threads.add(start("jobs-" + i, false, () -> jobLoop(index, deadline)));
        }
        Thread metrics = null;
        if (options.sends("metrics") && !options.metricsInterval().isZero()) {
            metrics = start("metrics", false, () -> metricsLoop(deadline));
        }
        Thread progress = start("progress", true, this::progressLoop);
        for (Thread t : threads) {
            t.join();
        }
        stop.set(true);
        if (metrics != null) {
            metrics.interrupt();
            metrics.join();
        }
        progress.interrupt();
        System.out.println(stats.progressLine());
        return stats;
    }

    private void jobLoop(int index, long deadline) {
        JobSimulator simulator = new JobSimulator(options.seed() + index * 7919L, sites,
                options.firstJobId() + index, options.threads(), time);
        BatchBuffer buffer = new BatchBuffer(options.batchSize(), 2000);
        double perThreadRate = options.jobsPerSecond() / options.threads();
        long start = System.nanoTime();
        long made = 0;
        while (System.nanoTime() < deadline && !stop.get()) {
            if (options.maxJobs() > 0 && stats.jobs.incrementAndGet() > options.maxJobs()) {
                stats.jobs.decrementAndGet();
                break;
            } else if (options.maxJobs() == 0) {
                stats.jobs.incrementAndGet();
            }
            SimulatedJob job = simulator.next();
            made++;
            offer(buffer, job.site(), "job_info", JobRecords.jobInfo(job));
            offer(buffer, job.site(), "jdl", JobRecords.jdl(job));
            if (job.state().ran()) {
                offer(buffer, job.site(), "trace", JobRecords.trace(job));
            }
            buffer.drain(false).forEach(this::send);
            if (perThreadRate > 0) {
                pace(start, made, perThreadRate, deadline);
            }
        }
        buffer.drain(true).forEach(this::send);
    }

    private void metricsLoop(long deadline) {
        MetricsSimulator metrics = new MetricsSimulator(sites, options.seed() ^ 0x5DEECE66DL);
        long intervalMs = options.metricsInterval().toMillis();
        while (!stop.get() && System.nanoTime() < deadline) {
            BatchBuffer buffer = new BatchBuffer(options.batchSize(), 0);
            for (MetricsSimulator.SiteMetric m : metrics.tick(time.nowMillis())) {
                offer(buffer, m.site(), "metrics", m.record());
            }
            buffer.drain(true).forEach(this::send);
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void offer(BatchBuffer buffer, Site site, String dataset, Map<String, Object> record) {
        if (!options.sends(dataset)) {
            return;
        }
        stats.generated.incrementAndGet();
        ValidationResult v = RecordValidator.validate(catalog.get(dataset), record, site.name());
        if (!v.isValid()) {
            stats.invalidLocally.incrementAndGet();
            stats.firstError.compareAndSet(null, "generated an invalid " + dataset + " record: " + v.errors());
            return;
        }
        BatchBuffer.Batch full = buffer.add(site.name(), dataset, record);
        if (full != null) {
            send(full);
        }
    }

    private void send(BatchBuffer.Batch batch) {
        if (client == null) {
            return;
        }
        Site site = sites.stream().filter(s -> s.name().equals(batch.site())).findFirst().orElseThrow();
        long t0 = System.nanoTime();
        PostResult r = client.post(batch.dataset(), keys.keyOf(site), batch.records());
        stats.record(batch.dataset(), batch.records().size(), r, (System.nanoTime() - t0) / 1000);
        if (r.status() == 401 || r.status() == 403) {
            // a wrong key will not fix itself: stop instead of hammering the collector
            stop.set(true);
        }
    }

    private static void pace(long startNanos, long made, double rate, long deadline) {
        long due = startNanos + (long) (made / rate * 1e9);
        long wait = Math.min(due, deadline) - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread start(String name, boolean daemon, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(daemon);
        t.start();
        return t;
    }

    private void progressLoop() {
        while (!stop.get()) {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println(stats.progressLine());
        }
    }
}

package ch.cern.alice.lakehouse.simulator;

import ch.cern.alice.lakehouse.simulator.send.PostResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters shared by the sender threads; printed as progress lines and a final summary. */
public final class RunStats {

    final AtomicLong jobs = new AtomicLong();
    final AtomicLong generated = new AtomicLong();
    final AtomicLong invalidLocally = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong failedRecords = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final Map<String, AtomicLong> acceptedByDataset = new ConcurrentHashMap<>();
    final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
    private final long startNanos = System.nanoTime();

    void record(String dataset, int batchSize, PostResult r, long micros) {
        requests.incrementAndGet();
        sent.addAndGet(batchSize);
        retries.addAndGet(r.retries());
        latenciesMicros.add(micros);
        if (r.failed()) {
            failedRecords.addAndGet(batchSize);
            firstError.compareAndSet(null, dataset + ": " + r.error());
            return;
        }
        accepted.addAndGet(r.accepted());
        rejected.addAndGet(r.rejected());
        acceptedByDataset.computeIfAbsent(dataset, d -> new AtomicLong()).addAndGet(r.accepted());
        if (r.firstRejection() != null) {
            firstError.compareAndSet(null, dataset + " rejected: " + r.firstRejection());
        }
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    String progressLine() {
        double t = elapsedSeconds();
        return String.format("t=%5.0fs jobs=%d records: generated=%d sent=%d accepted=%d rejected=%d failed=%d "
                        + "(%.0f records/s)", t, jobs.get(), generated.get(), sent.get(), accepted.get(),
                rejected.get(), failedRecords.get(), sent.get() / Math.max(t, 0.001));
    }

    String summary(boolean dryRun) {
        double t = elapsedSeconds();
        StringBuilder sb = new StringBuilder();
        sb.append("=== simulator summary ===\n");
        sb.append(String.format("elapsed            %.1f s%n", t));
        sb.append(String.format("jobs simulated     %d (%.0f jobs/s)%n", jobs.get(), jobs.get() / t));
        sb.append(String.format("records generated  %d (%.0f records/s), invalid locally %d%n", generated.get(),
                generated.get() / t, invalidLocally.get()));
        if (dryRun) {
            sb.append("dry run: nothing sent\n");
            return sb.toString();
        }
        sb.append(String.format("records sent       %d in %d requests (%d retries after 429/503)%n", sent.get(),
                requests.get(), retries.get()));
        sb.append(String.format("accepted           %d (%.0f records/s)%n", accepted.get(), accepted.get() / t));
        sb.append(String.format("rejected           %d%n", rejected.get()));
        sb.append(String.format("failed (no answer) %d%n", failedRecords.get()));
        acceptedByDataset.forEach((d, n) -> sb.append(String.format("  accepted %-9s %d%n", d, n.get())));
        List<Long> lat;
        synchronized (latenciesMicros) {
            lat = new ArrayList<>(latenciesMicros);
        }
        if (!lat.isEmpty()) {
            Collections.sort(lat);
            sb.append(String.format("request latency    p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pct(lat, 0.50), pct(lat, 0.95), pct(lat, 0.99), lat.get(lat.size() - 1) / 1000.0));
        }
        if (firstError.get() != null) {
            sb.append("first problem: ").append(firstError.get()).append('\n');
        }
        return sb.toString();
    }

    boolean clean() {
        return invalidLocally.get() == 0 && rejected.get() == 0 && failedRecords.get() == 0;
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size()))) / 1000.0;
    }
}

package ch.cern.alice.lakehouse.etl.spark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts and supervises the long-lived etl-jobs Spark application ({@code WarmEtlMain}, its own JVM through
 * SparkSubmit) and hands it runs: one JSON request line per run or cancel on its stdin, tagged progress and result
 * lines back on its stdout (protocol in etl-jobs' WarmEtlMain).
 * <p>
 * Started as an early lifecycle phase, right after {@code StartupRecovery} has stopped whatever a previous instance
 * left running, and before the web server and the schedules. When the application dies, every run in flight ends
 * with {@link Outcome#applicationDied()} (the caller fails and retries it) and the application is started again
 * after a back-off that doubles with each restart in a row that did not stay up ({@code etl.warm.backoff-*}). A
 * cancelled run the application does not confirm within {@code etl.warm.cancel-timeout} gets the application
 * restarted. Its state is in etl-service's health ({@code sparkApplication}) and at {@code GET /api/v1/etl/spark}.
 */
@Component
public class WarmSparkApplication implements SmartLifecycle {

    /** Right after StartupRecovery ({@code Integer.MIN_VALUE + 1000}), before the web server and the schedules. */
    static final int PHASE = Integer.MIN_VALUE + 1001;
    /** An application that stayed up this long after it became ready restarts after the shortest back-off. */
    private static final Duration STABLE = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(WarmSparkApplication.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public enum State { DISABLED, STOPPED, STARTING, READY, RESTARTING }

    /** What health and the API show. */
    public record Status(State state, Long pid, int restarts, String lastError, Instant since, int runsInFlight,
                         long runsServed, String master) {
    }

    public interface ProgressListener {
        void onProgress(String phase, int percent);

        /** A phase of the run ended ({@code ETL_PHASE}): its wall and the JVM's CPU milliseconds. */
        default void onPhase(String phase, long ms, long cpuMs) {
        }
    }

    /**
     * How a run ended in the application.
     *
     * @param result           the ETL_RESULT fields; null unless it succeeded
     * @param error            why it did not succeed
     * @param cancelled        the application confirmed the cancel
     * @param applicationDied  the application ended (or was restarted) while the run was in flight: retry it
     * @param shutdown         ... because this service is stopping: do not retry
     */
    public record Outcome(JsonNode result, String error, boolean cancelled, boolean applicationDied,
                          boolean shutdown) {
        public boolean succeeded() {
            return result != null;
        }
    }

    /** A run handed to the application. */
    public record Submission(long pid, CompletableFuture<Outcome> outcome) {
        public Outcome await() throws InterruptedException {
            try {
                return outcome.get();
            } catch (java.util.concurrent.ExecutionException e) {
                return new Outcome(null, String.valueOf(e.getCause()), false, true, false);
            }
        }
    }

    private record Pending(ProgressListener listener, CompletableFuture<Outcome> outcome) {
    }

    /** One started JVM of the application. */
    private final class Instance {
        final Process process;
        final Writer stdin;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Map<String, Pending> pending = new ConcurrentHashMap<>();
        volatile Instant readyAt;
        volatile String restartReason;
        volatile String master;

        Instance(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        synchronized void send(Map<String, Object> request) throws IOException {
            stdin.write(JSON.writeValueAsString(request));
            stdin.write('\n');
            stdin.flush();
        }
    }

    private final SparkJobLauncher launcher;
    private final WarmSparkProperties properties;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "warm-spark-supervisor");
        t.setDaemon(true);
        return t;
    });

    private volatile Instance current;
    private volatile State state = State.STOPPED;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile boolean stopping;
    private volatile boolean lifecycleRunning;
    private int restartCount;
    private int failuresInARow;
    private long served;

    public WarmSparkApplication(SparkJobLauncher launcher, WarmSparkProperties properties) {
        this.launcher = launcher;
        this.properties = properties;
        if (!properties.enabled()) {
            state = State.DISABLED;
        }
    }

    public boolean enabled() {
        return properties.enabled();
    }

    @Override
    public void start() {
        lifecycleRunning = true;
        if (properties.enabled()) {
            stopping = false;
            launch();
        }
    }

    @Override
    public void stop() {
        lifecycleRunning = false;
        if (!properties.enabled()) {
            return;
        }
        stopping = true;
        restarts.shutdownNow();
        Instance instance = current;
        if (instance != null) {
            // end of input ends the application (as when this service dies); forcibly after a grace period
            try {
                instance.process.getOutputStream().close();
            } catch (IOException e) {
                // already closed
            }
            try {
                if (!instance.process.waitFor(10, TimeUnit.SECONDS)) {
                    destroyTree(instance.process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroyTree(instance.process);
            }
        }
        setState(State.STOPPED, null);
    }

    @Override
    public boolean isRunning() {
        return lifecycleRunning;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    public synchronized Status status() {
        Instance instance = current;
        boolean alive = instance != null && instance.process.isAlive();
        return new Status(state, alive ? instance.process.pid() : null, restartCount, lastError, since,
                instance == null ? 0 : instance.pending.size(), served, instance == null ? null : instance.master);
    }

    /**
     * Waits until the application is ready (first start or restart), at most {@code etl.warm.start-timeout}.
     *
     * @return its pid
     */
    public long awaitReady() throws InterruptedException, TimeoutException {
        Instant deadline = Instant.now().plus(properties.startTimeout());
        while (true) {
            if (stopping) {
                throw new IllegalStateException("etl-service is stopping");
            }
            Instance instance = current;
            if (instance != null && instance.ready.isDone() && !instance.ready.isCompletedExceptionally()
                    && instance.process.isAlive()) {
                return instance.process.pid();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("the Spark application is not ready after "
                        + properties.startTimeout().toSeconds() + " s (state " + state + ", last error: "
                        + lastError + ")");
            }
            synchronized (this) {
                wait(200);
            }
        }
    }

    /**
     * Hands a run to the application, waiting for it to be ready first.
     *
     * @param params further request fields ({@code from}, {@code to}, ...), see etl-jobs' RunRequest
     */
    public Submission submit(long runId, String kind, String dataset, Map<String, Object> params,
                             ProgressListener listener) throws InterruptedException, TimeoutException {
        awaitReady();
        Instance instance = current;
        String id = String.valueOf(runId);
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Pending pending = new Pending(listener, outcome);
        if (instance.pending.putIfAbsent(id, pending) != null) {
            throw new IllegalStateException("run " + runId + " is already in the Spark application");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "run");
        request.put("runId", id);
        request.put("kind", kind);
        request.put("dataset", dataset);
        request.putAll(params);
        try {
            instance.send(request);
        } catch (IOException e) {
            instance.pending.remove(id);
            outcome.complete(new Outcome(null, "the Spark application (pid " + instance.process.pid()
                    + ") did not take the run: " + e.getMessage(), false, true, stopping));
        }
        if (!instance.process.isAlive()) {
            // it died between awaitReady and the request: its reader may have failed the pending runs already
            Pending p = instance.pending.remove(id);
            if (p != null) {
                p.outcome().complete(died(instance, "before it took the run"));
            }
        }
        return new Submission(instance.process.pid(), outcome);
    }

    /**
     * Asks the application to cancel a run. Returns at once; if the run has not ended within
     * {@code etl.warm.cancel-timeout}, the application is restarted (its other runs fail and are retried).
     */
    public void cancel(long runId) {
        Instance instance = current;
        String id = String.valueOf(runId);
        Pending pending = instance == null ? null : instance.pending.get(id);
        if (pending == null) {
            return;
        }
        try {
            instance.send(Map.of("op", "cancel", "runId", id));
        } catch (IOException e) {
            log.warn("could not send the cancel of run {} to the Spark application: {}", runId, e.getMessage());
        }
        pending.outcome().orTimeout(properties.cancelTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    if (e instanceof TimeoutException && instance == current && instance.process.isAlive()) {
                        restart(instance, "run " + runId + " did not end within "
                                + properties.cancelTimeout().toSeconds() + " s of its cancel");
                    }
                    return null;
                });
    }

    /** Kills the application (and its children); the supervisor starts a new one. */
    public void restart(String reason) {
        Instance instance = current;
        if (instance != null) {
            restart(instance, reason);
        }
    }

    private void restart(Instance instance, String reason) {
        log.warn("restarting the Spark application (pid {}): {}", instance.process.pid(), reason);
        instance.restartReason = reason;
        destroyTree(instance.process);
    }

    // --- supervision ---

    private void launch() {
        if (stopping) {
            return;
        }
        Instance instance;
        try {
            instance = new Instance(launcher.launchWarm());
        } catch (IOException | RuntimeException e) {
            log.error("cannot start the Spark application", e);
            synchronized (this) {
                lastError = "cannot start: " + e.getMessage();
                failuresInARow++;
            }
            scheduleRestart();
            return;
        }
        synchronized (this) {
            current = instance;
            setState(State.STARTING, null);
            notifyAll();
        }
        log.info("Spark application starting: pid {}", instance.process.pid());
        Thread reader = new Thread(() -> read(instance), "warm-spark-reader-" + instance.process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Instance instance) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(instance.process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                handleLine(instance, line);
            }
        } catch (IOException e) {
            log.debug("stdout of the Spark application ended: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("reading the Spark application's output failed", e);
        }
        ended(instance);
    }

    private void handleLine(Instance instance, String line) {
        int space = line.indexOf(' ');
        if (space < 0) {
            return;
        }
        String tag = line.substring(0, space);
        if (!tag.startsWith("ETL_")) {
            return; // not part of the protocol
        }
        JsonNode json;
        try {
            json = JSON.readTree(line.substring(space + 1));
        } catch (RuntimeException e) {
            log.warn("unreadable line from the Spark application: {}", line);
            return;
        }
        if (tag.equals("ETL_READY")) {
            instance.master = json.path("master").asString(null);
            instance.readyAt = Instant.now();
            instance.ready.complete(null);
            synchronized (this) {
                if (current == instance) {
                    setState(State.READY, null);
                }
                notifyAll();
            }
            log.info("Spark application ready: pid {}, {}", instance.process.pid(), json);
            return;
        }
        String runId = json.path("runId").asString(null);
        Pending pending = runId == null ? null : instance.pending.get(runId);
        if (pending == null) {
            if (tag.equals("ETL_ERROR")) {
                log.warn("Spark application: {}", line);
            }
            return;
        }
        switch (tag) {
            case "ETL_PROGRESS" -> {
                try {
                    pending.listener().onProgress(json.path("phase").asString(), json.path("percent").asInt());
                } catch (RuntimeException e) {
                    log.warn("recording the progress of run {} failed: {}", runId, e.getMessage());
                }
            }
            case "ETL_RESULT" -> finish(instance, runId, new Outcome(json, null, false, false, false));
            case "ETL_ERROR" -> finish(instance, runId, new Outcome(null, json.path("error").asString(line),
                    json.path("cancelled").asBoolean(false), false, false));
            case "ETL_PHASE" -> {
                try {
                    pending.listener().onPhase(json.path("phase").asString(), json.path("ms").asLong(),
                            json.path("cpuMs").asLong(-1));
                } catch (RuntimeException e) {
                    log.warn("recording a phase of run {} failed: {}", runId, e.getMessage());
                }
            }
            default -> {
                // others: informational
            }
        }
    }

    private void finish(Instance instance, String runId, Outcome outcome) {
        Pending pending = instance.pending.remove(runId);
        if (pending != null) {
            synchronized (this) {
                served++;
            }
            pending.outcome().complete(outcome);
        }
    }

    private void ended(Instance instance) {
        int exit;
        try {
            exit = instance.process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = -1;
        }
        String reason = instance.restartReason != null ? "restarted: " + instance.restartReason
                : stopping ? "etl-service is stopping" : "exit code " + exit + ": " + stderrTail();
        instance.ready.completeExceptionally(new IllegalStateException(reason));
        for (String runId : List.copyOf(instance.pending.keySet())) {
            Pending p = instance.pending.remove(runId);
            if (p != null) {
                p.outcome().complete(died(instance, "during the run (" + reason + ")"));
            }
        }
        if (stopping) {
            return;
        }
        synchronized (this) {
            boolean stayedUp = instance.readyAt != null
                    && Duration.between(instance.readyAt, Instant.now()).compareTo(STABLE) >= 0;
            failuresInARow = stayedUp ? 0 : failuresInARow + 1;
            lastError = "pid " + instance.process.pid() + " ended at " + Instant.now() + ": " + reason;
        }
        log.error("Spark application pid {} ended: {}", instance.process.pid(), reason);
        scheduleRestart();
    }

    private Outcome died(Instance instance, String when) {
        return new Outcome(null, "the Spark application (pid " + instance.process.pid() + ") ended " + when, false,
                true, stopping);
    }

    private void scheduleRestart() {
        if (stopping) {
            return;
        }
        long delay;
        synchronized (this) {
            restartCount++;
            int doublings = Math.max(0, Math.min(failuresInARow - 1, 20));
            delay = Math.min(properties.backoffMax().toMillis(), properties.backoffMin().toMillis() << doublings);
            setState(State.RESTARTING, lastError);
        }
        log.warn("restarting the Spark application in {} ms (restart {})", delay, restartCount);
        try {
            restarts.schedule(this::launch, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private synchronized void setState(State newState, String error) {
        state = newState;
        since = Instant.now();
        if (error != null) {
            lastError = error;
        }
        notifyAll();
    }

    private String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(launcher.warmLog(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void destroyTree(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Path logFile() {
        return launcher.warmLog();
    }
}

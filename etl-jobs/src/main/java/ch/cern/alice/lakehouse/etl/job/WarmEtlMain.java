package ch.cern.alice.lakehouse.etl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The long-lived ETL application: one warm SparkSession serving run after run, started (through SparkSubmit, in
 * its own JVM) and supervised by etl-service.
 * <p>
 * Protocol: etl-service writes one JSON request per line on stdin, {@code {"op":"run","runId":"42","kind":"migrate",
 * "dataset":"trace","from":100,"to":2000}} or {@code {"op":"cancel","runId":"42"}}; the application answers on stdout
 * with {@code ETL_READY {...}} once, when the session is up, then per run its ETL_PROGRESS / ETL_PHASE lines and
 * exactly one ETL_RESULT or ETL_ERROR line, each JSON object carrying {@code "runId"} (see {@link ProgressReporter}).
 * A cancelled run ends with {@code ETL_ERROR {"runId":..,"error":"cancelled","cancelled":true}}.
 * <p>
 * Each run runs on its own thread under its own Spark job group (cancel = {@code cancelJobGroup} with
 * interruptOnCancel plus a thread interrupt), in a FAIR scheduler pool named after its dataset, so runs of different
 * datasets share the cores; a second run of a dataset that is still running is refused (one writer per table).
 * <p>
 * End of stdin means etl-service is gone (even after a kill -9): the application halts at once, like a one-shot
 * job's {@link ParentWatchdog}, so it never writes next to the runs a restarted service starts.
 */
public final class WarmEtlMain {

    static final String APP_NAME = "lakehouse-etl-warm";
    static final int MAX_SESSIONS = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final RunHandlers handlers;
    private final Map<String, String> env;
    private final PrintStream out;
    private final ProgressReporter app;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** One session per dataset, reused by each of its runs (see {@link #sessionFor}). */
    private final Map<String, SparkSession> sessions = new ConcurrentHashMap<>();

    private record Running(String dataset, Thread thread, boolean[] cancelled) {
    }

    WarmEtlMain(SparkSession spark, RunHandlers handlers, Map<String, String> env, PrintStream out) {
        this.spark = spark;
        this.handlers = handlers;
        this.env = env;
        this.out = out;
        this.app = new ProgressReporter(out);
    }

    public static void main(String[] args) {
        SparkSession spark;
        try {
            spark = SparkSession.builder().config(sparkConf()).getOrCreate();
            // a first tiny job loads the classes every run needs before the first run waits for them
            spark.range(1).selectExpr("id + 1").collectAsList();
        } catch (Throwable e) {
            e.printStackTrace();
            new ProgressReporter(System.out).error(e);
            System.exit(1);
            return;
        }
        WarmEtlMain main = new WarmEtlMain(spark, RunHandlers.defaults(), System.getenv(), System.out);
        main.serve(System.in);
        // end of input: etl-service is gone; a half-done MERGE leaves only files no Delta commit references
        System.err.println("warm ETL application: etl-service (parent) is gone; stopping at once");
        Runtime.getRuntime().halt(ParentWatchdog.EXIT_PARENT_GONE);
    }

    /** Reads requests until end of input. */
    void serve(InputStream in) {
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("pid", ProcessHandle.current().pid());
        ready.put("sparkVersion", spark.version());
        ready.put("master", spark.sparkContext().master());
        ready.put("kinds", String.join(",", handlers.kinds()));
        app.emit(ProgressReporter.READY, ready);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    handle(line);
                }
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of input
        }
    }

    void handle(String line) {
        RunRequest request;
        try {
            JsonNode json = JSON.readTree(line);
            request = RunRequest.parse(json);
        } catch (Exception e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", "unreadable request: " + e.getMessage());
            app.emit(ProgressReporter.ERROR, m);
            return;
        }
        switch (request.op()) {
            case RunRequest.RUN -> start(request);
            case RunRequest.CANCEL -> cancel(request.runId());
            default -> new ProgressReporter(out, request.runId()).error("unknown op '" + request.op() + "'", false);
        }
    }

    private synchronized void start(RunRequest request) {
        ProgressReporter progress = new ProgressReporter(out, request.runId());
        RunHandler handler;
        JobConfig config;
        try {
            handler = handlers.get(request.kind());
            if (request.dataset() == null) {
                throw new IllegalArgumentException("a run request needs a dataset");
            }
            config = request.jobConfig(env);
        } catch (RuntimeException e) {
            progress.error(e);
            return;
        }
        if (running.containsKey(request.runId())) {
            progress.error("run " + request.runId() + " is already running", false);
            return;
        }
        for (Running r : running.values()) {
            if (r.dataset().equals(request.dataset())) {
                progress.error("dataset " + request.dataset() + " already has a run in this application", false);
                return;
            }
        }
        boolean[] cancelled = {false};
        Thread thread = new Thread(() -> execute(request, handler, config, progress, cancelled),
                "run-" + request.runId());
        thread.setDaemon(true);
        running.put(request.runId(), new Running(request.dataset(), thread, cancelled));
        thread.start();
    }

    private void execute(RunRequest request, RunHandler handler, JobConfig config, ProgressReporter progress,
                         boolean[] cancelled) {
        SparkContext sc = spark.sparkContext();
        SparkSession session = sessionFor(request.dataset());
        try {
            SparkSession.setActiveSession(session);
            sc.setJobGroup(jobGroup(request.runId()), request.kind() + " " + request.dataset(), true);
            sc.setLocalProperty("spark.scheduler.pool", request.dataset());
            progress.progress("starting", 1);
            Map<String, Object> result = handler.run(session, request, config, progress);
            if (isCancelled(cancelled)) {
                progress.error("cancelled", true);
            } else {
                progress.result(result);
            }
        } catch (Throwable e) {
            if (isCancelled(cancelled)) {
                progress.error("cancelled", true);
            } else {
                e.printStackTrace();
                progress.error(e);
            }
        } finally {
            sc.clearJobGroup();
            sc.setLocalProperty("spark.scheduler.pool", null);
            SparkSession.clearActiveSession();
            synchronized (this) {
                running.remove(request.runId());
                // nothing a run cached outlives it (EtlJob unpersists its batch; this catches what a handler forgot),
                // but the cache is shared: only cleared when no other run is in flight (no run starts meanwhile)
                if (running.isEmpty()) {
                    session.sharedState().cacheManager().clearCache();
                }
            }
            Thread.interrupted();
        }
    }

    /**
     * The session runs of a dataset share. Settings a run makes (Parquet dictionary columns of the dataset's fields,
     * new-table defaults set and unset around a write) stay in its dataset's session, and a dataset has at most one run
     * at a time. Not a new session per run: Spark 4 gives each session its own class loader on the executors, and
     * generated code is cached per class loader, so a fresh session made every run compile its ~80 classes again
     * (2-3 s of a 5k-row run). Bounded: datasets beyond {@value #MAX_SESSIONS} get a session of their own per run.
     */
    SparkSession sessionFor(String dataset) {
        SparkSession session = sessions.get(dataset);
        if (session != null) {
            return session;
        }
        if (sessions.size() >= MAX_SESSIONS) {
            return spark.newSession();
        }
        return sessions.computeIfAbsent(dataset, d -> spark.newSession());
    }

    private static boolean isCancelled(boolean[] cancelled) {
        synchronized (cancelled) {
            return cancelled[0];
        }
    }

    /** Cancels the run's Spark jobs and interrupts its thread; the run then ends with a cancelled ETL_ERROR line. */
    private synchronized void cancel(String runId) {
        Running r = running.get(runId);
        if (r == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("running", false);
            new ProgressReporter(out, runId).emit("ETL_CANCEL_IGNORED", m);
            return;
        }
        synchronized (r.cancelled()) {
            r.cancelled()[0] = true;
        }
        spark.sparkContext().cancelJobGroup(jobGroup(runId));
        r.thread().interrupt();
    }

    static String jobGroup(String runId) {
        return "etl-run-" + runId;
    }

    /**
     * The one-shot job's settings plus what keeps a long-lived driver's memory flat: no UI, little job/stage/SQL
     * history kept for it, a bounded Delta log cache, a periodic cleaner GC; FAIR scheduling between runs.
     */
    static SparkConf sparkConf() {
        SparkConf conf = new SparkConf(true);
        conf.setIfMissing("spark.master", "local[*]");
        conf.setIfMissing("spark.app.name", APP_NAME);
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        EtlJobMain.applyDefaults(conf, JobConfig.from(new String[]{"--dataset=warm", "--run-id=warm"},
                System.getenv()));
        conf.setIfMissing("spark.scheduler.mode", "FAIR");
        // generated code is compiled once per dataset session and reused run after run; Spark's default of 100
        // entries is less than one dataset's runs generate (~125 classes), so runs evicted each other's code
        conf.setIfMissing("spark.sql.codegen.cache.maxEntries", "1000");
        conf.setIfMissing("spark.ui.retainedJobs", "20");
        conf.setIfMissing("spark.ui.retainedStages", "40");
        conf.setIfMissing("spark.ui.retainedTasks", "2000");
        conf.setIfMissing("spark.ui.retainedDeadExecutors", "10");
        conf.setIfMissing("spark.sql.ui.retainedExecutions", "10");
        conf.setIfMissing("spark.ui.dagGraph.retainedRootRDDs", "50");
        conf.setIfMissing("spark.cleaner.periodicGC.interval", "5min");
        conf.setIfMissing("spark.databricks.delta.delta.log.cacheSize", "64");
        conf.setIfMissing("spark.databricks.delta.delta.log.cacheRetentionMinutes", "30");
        return conf;
    }
}

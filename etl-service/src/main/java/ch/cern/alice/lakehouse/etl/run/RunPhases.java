package ch.cern.alice.lakehouse.etl.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where the wall time of one run went, phase by phase: etl-service's own steps (waiting in the queue, the claim,
 * handing the run to Spark, recording the result, deleting the staged rows, the catalog and versioning calls) and the
 * Spark job's phases as its {@code ETL_PHASE} lines report them (prefixed {@value #SPARK}). Stored with the run
 * ({@code details}, {@code {"phasesMs":{...}}}) and logged when it ends, so an operator sees what a slow run waited
 * for. Thread-safe: the Spark application's reader thread adds the job's phases.
 */
final class RunPhases {

    static final String SPARK = "spark.";

    private final Map<String, Long> millis = new LinkedHashMap<>();
    private final long startedNanos = System.nanoTime();

    /** Adds {@code ms} to the named phase (a phase reported twice, e.g. by a retry of a step, adds up). */
    synchronized void add(String phase, long ms) {
        millis.merge(phase, Math.max(0, ms), Long::sum);
    }

    /** A phase the Spark job reported (its wall milliseconds). */
    void addSpark(String phase, long ms) {
        add(SPARK + phase, ms);
    }

    <T> T time(String phase, Callable<T> step) throws Exception {
        long t0 = System.nanoTime();
        try {
            return step.call();
        } finally {
            add(phase, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    void time(String phase, Runnable step) {
        long t0 = System.nanoTime();
        try {
            step.run();
        } finally {
            add(phase, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Milliseconds since this run's execution started in this service. */
    long elapsedMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    synchronized Map<String, Long> snapshot() {
        return new LinkedHashMap<>(millis);
    }

    /** {@code {"phasesMs":{"claim":12,...},"totalMs":3456}}: the run's {@code details}. */
    synchronized String toJson() {
        StringBuilder sb = new StringBuilder("{\"phasesMs\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : millis.entrySet()) {
            sb.append(first ? "" : ",").append('"').append(e.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\":").append(e.getValue());
            first = false;
        }
        return sb.append("},\"totalMs\":").append(elapsedMs()).append('}').toString();
    }

    /** "claim 12 ms, spark.merge 2100 ms, ..." for the log. */
    synchronized String summary() {
        StringBuilder sb = new StringBuilder();
        millis.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v).append(" ms"));
        return sb.toString();
    }
}

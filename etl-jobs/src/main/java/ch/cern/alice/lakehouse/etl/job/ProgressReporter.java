package ch.cern.alice.lakehouse.etl.job;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's side of the launcher protocol: one line per event on stdout, {@code ETL_PROGRESS {...}},
 * {@code ETL_RESULT {...}} or {@code ETL_ERROR {...}}, each followed by a JSON object (flat, but for a map value such
 * as a result's {@code tables}, written as a nested object). Spark logs go to
 * stderr, so stdout carries nothing else of interest.
 */
public final class ProgressReporter {

    public static final String PROGRESS = "ETL_PROGRESS";
    public static final String RESULT = "ETL_RESULT";
    public static final String ERROR = "ETL_ERROR";
    /** Informational, after each phase: wall and JVM CPU milliseconds. Launchers may ignore it. */
    public static final String PHASE = "ETL_PHASE";

    /** The warm application's handshake: the SparkSession is up and requests are taken (see {@link WarmEtlMain}). */
    public static final String READY = "ETL_READY";

    private final PrintStream out;
    /** Tags every line of a run of the warm application (several runs share its stdout); null for one-shot jobs. */
    private final String runId;

    public ProgressReporter(PrintStream out) {
        this(out, null);
    }

    public ProgressReporter(PrintStream out, String runId) {
        this.out = out;
        this.runId = runId;
    }

    public void progress(String phase, int percent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("percent", percent);
        emit(PROGRESS, m);
    }

    public void phase(String phase, long wallMs, long cpuMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("ms", wallMs);
        m.put("cpuMs", cpuMs);
        emit(PHASE, m);
    }

    public void result(JobResult result) {
        emit(RESULT, result.toMap());
    }

    /** A result of another kind of run (its handler's fields). */
    public void result(Map<String, Object> fields) {
        emit(RESULT, fields);
    }

    public void error(Throwable error) {
        error(error.getClass().getSimpleName() + ": " + error.getMessage(), false);
    }

    public void error(String message, boolean cancelled) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (cancelled) {
            m.put("cancelled", true);
        }
        emit(ERROR, m);
    }

    /** Any other tagged line, e.g. {@value #READY}. */
    public void emit(String tag, Map<String, Object> fields) {
        Map<String, Object> tagged = fields;
        if (runId != null) {
            tagged = new LinkedHashMap<>();
            tagged.put("runId", runId);
            tagged.putAll(fields);
        }
        String line = tag + " " + toJson(tagged);
        // one println per line: PrintStream locks itself, so lines of runs side by side never interleave
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static String toJson(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(k)).append(':');
            if (v instanceof Map<?, ?> map) {
                Map<String, Object> nested = new LinkedHashMap<>();
                map.forEach((mk, mv) -> nested.put(String.valueOf(mk), mv));
                sb.append(toJson(nested));
                return;
            }
            sb.append(v == null ? "null" : v instanceof Number || v instanceof Boolean ? v.toString() : quote(v.toString()));
        });
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

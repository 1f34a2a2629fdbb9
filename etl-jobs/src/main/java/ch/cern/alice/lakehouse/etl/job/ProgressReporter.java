package ch.cern.alice.lakehouse.etl.job;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's side of the launcher protocol: one line per event on stdout, {@code ETL_PROGRESS {...}},
 * {@code ETL_RESULT {...}} or {@code ETL_ERROR {...}}, each followed by a flat JSON object. Spark logs go to
 * stderr, so stdout carries nothing else of interest.
 */
public final class ProgressReporter {

    public static final String PROGRESS = "ETL_PROGRESS";
    public static final String RESULT = "ETL_RESULT";
    public static final String ERROR = "ETL_ERROR";
    /** Informational, after each phase: wall and JVM CPU milliseconds. Launchers may ignore it. */
    public static final String PHASE = "ETL_PHASE";

    private final PrintStream out;

    public ProgressReporter(PrintStream out) {
        this.out = out;
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

    public void error(Throwable error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        emit(ERROR, m);
    }

    private synchronized void emit(String tag, Map<String, Object> fields) {
        out.println(tag + " " + toJson(fields));
        out.flush();
    }

    static String toJson(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(k)).append(':');
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

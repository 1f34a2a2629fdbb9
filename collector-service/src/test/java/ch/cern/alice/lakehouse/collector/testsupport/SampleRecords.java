package ch.cern.alice.lakehouse.collector.testsupport;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Realistic records of the built-in datasets, with job ids unique within a test run. */
public final class SampleRecords {

    /** 2026-05-29T16:26:40Z */
    public static final long FINAL_TS_MS = 1_780_072_000_123L;
    private static final AtomicLong NEXT_JOB_ID = new AtomicLong(3_100_200_300L);

    private SampleRecords() {
    }

    public static long nextJobId() {
        return NEXT_JOB_ID.getAndIncrement();
    }

    /** A trace record without a site field: the collector fills it in from the API key. */
    public static String trace(long jobId) {
        return """
                {"job_id":%d,"aliencpuefficiency":87.5,"cputime":"3512.25","host":"wn042.cern.ch","maxrss":2150400,\
                "cpuefficiency":85.1,"finaltimestamp":%d,"masterjobid":3100200000,"pid":41522,"requestedcpus":8,\
                "requestedttl":72000,"walltime":4100}"""
                .formatted(jobId, FINAL_TS_MS);
    }

    /** A trace record naming its site. */
    public static String trace(long jobId, String site) {
        return trace(jobId).replaceFirst("}$", ",\"site\":\"" + site + "\"}");
    }

    /** A job_info record; {@code site} null leaves the field out. */
    public static String jobInfo(long jobId, String status, long stateChangeMs, String site) {
        return """
                {"job_id":%d,"user_name":"aliprod","status":"%s","job_submit_timestamp":1780000000,\
                "state_change_timestamp":%d%s}"""
                .formatted(jobId, status, stateChangeMs, site == null ? "" : ",\"site\":\"" + site + "\"");
    }

    /** A JDL record whose raw text is {@code jdlText} (JSON-escaped here). */
    public static String jdl(long jobId, String jdlText) {
        return "{\"job_id\":" + jobId + ",\"submit_timestamp\":1780000000,\"jdl_text\":\""
                + jdlText.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}";
    }

    /** Text of {@code length} random letters and digits: incompressible enough that lz4 cannot shrink it much. */
    public static String randomText(long seed, int length) {
        java.util.Random random = new java.util.Random(seed);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(text);
    }

    public static String metric(String node, long timestampMs, double value) {
        return """
                {"farm":"CERN","cluster":"ALICE_CE","node":"%s","parameter":"load1","value":%s,"timestamp":%d}"""
                .formatted(node, value, timestampMs);
    }

    public static String jsonArray(List<String> records) {
        return records.stream().collect(Collectors.joining(",\n", "[\n", "\n]"));
    }

    public static String ndjson(List<String> records) {
        return records.stream().collect(Collectors.joining("\n", "", "\n"));
    }
}

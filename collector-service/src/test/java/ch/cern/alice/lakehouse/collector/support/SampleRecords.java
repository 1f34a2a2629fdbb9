package ch.cern.alice.lakehouse.collector.support;

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

    public static String trace(long jobId) {
        return """
                {"job_id":%d,"aliencpuefficiency":87.5,"cputime":"3512.25","host":"wn042.cern.ch","maxrss":2150400,\
                "cpuefficiency":85.1,"finaltimestamp":%d,"masterjobid":3100200000,"pid":41522,"requestedcpus":8,\
                "requestedttl":72000,"walltime":4100,"site":"CERN-AURORA"}"""
                .formatted(jobId, FINAL_TS_MS);
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

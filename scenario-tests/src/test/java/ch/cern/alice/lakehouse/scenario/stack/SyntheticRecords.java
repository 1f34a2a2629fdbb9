package ch.cern.alice.lakehouse.scenario.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plausible grid records as sites send them (before validation), with job ids chosen by the caller. */
public final class SyntheticRecords {

    private static final String[] SITES = {"CERN", "FZK", "CNAF", "CCIN2P3", "GSI", "KISTI_GSDC", "NDGF", "RAL"};
    private static final String[] STATES = {"DONE", "DONE", "DONE", "ERROR_E", "ERROR_V", "EXPIRED"};

    private SyntheticRecords() {
    }

    /** Trace records for job ids {@code firstJobId .. firstJobId+count-1}, ending one minute apart from {@code endMillis}. */
    public static List<Map<String, Object>> trace(long firstJobId, int count, long endMillis) {
        List<Map<String, Object>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long jobId = firstJobId + i;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("job_id", jobId);
            r.put("finaltimestamp", endMillis + i * 60_000L);
            r.put("site", SITES[(int) (jobId % SITES.length)]);
            r.put("cputime", 3000.0 + jobId % 900);
            r.put("walltime", 3600 + (int) (jobId % 600));
            r.put("requestedcpus", 1 + (int) (jobId % 8));
            r.put("maxrss", 1_500_000L + jobId % 700_000);
            r.put("host", "wn" + jobId % 500 + ".grid.example.org");
            records.add(r);
        }
        return records;
    }

    /** job_info records for the same job ids, submitted an hour before {@code endMillis}. */
    public static List<Map<String, Object>> jobInfo(long firstJobId, int count, long endMillis) {
        List<Map<String, Object>> records = new ArrayList<>(count);
        long submitSeconds = endMillis / 1000 - 3600;
        for (int i = 0; i < count; i++) {
            long jobId = firstJobId + i;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("job_id", jobId);
            r.put("status", STATES[(int) (jobId % STATES.length)]);
            r.put("job_submit_timestamp", submitSeconds + i * 60L);
            r.put("site", SITES[(int) (jobId % SITES.length)]);
            r.put("user_name", "aliprod");
            r.put("activity", "MC");
            records.add(r);
        }
        return records;
    }
}

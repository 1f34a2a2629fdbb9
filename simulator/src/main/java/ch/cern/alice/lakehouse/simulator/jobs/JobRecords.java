package ch.cern.alice.lakehouse.simulator.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The records a finished job produces, with exactly the fields of the {@code job_info}, {@code jdl} and
 * {@code trace} dataset descriptors (derived jdl columns are left to the platform). Null values are omitted.
 */
public final class JobRecords {

    private JobRecords() {
    }

    public static Map<String, Object> jobInfo(SimulatedJob j) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("job_id", j.jobId());
        putIfNotNull(r, "masterjob_id", j.masterJobId());
        putIfNotNull(r, "split", j.split());
        r.put("user_name", j.user());
        r.put("site", j.site().name());
        if (j.startedMs() != null) {
            r.put("exec_host", j.host());
        }
        r.put("status", j.state().name());
        r.put("priority", j.priority());
        r.put("job_submit_timestamp", j.submitMs() / 1000);
        if (j.startedMs() != null) {
            r.put("job_start_timestamp", j.startedMs() / 1000);
        }
        r.put("job_finish_timestamp", j.finalMs() / 1000);
        r.put("activity", j.activity().jdlName());
        return r;
    }

    public static Map<String, Object> jdl(SimulatedJob j) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("job_id", j.jobId());
        r.put("submit_timestamp", j.submitMs() / 1000);
        r.put("jdl_text", JdlText.of(j));
        return r;
    }

    /** The resource trace; only jobs that ran a payload have one. */
    public static Map<String, Object> trace(SimulatedJob j) {
        if (!j.state().ran()) {
            throw new IllegalArgumentException("job " + j.jobId() + " never ran (" + j.state() + "): no trace");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("job_id", j.jobId());
        r.put("aliencpuefficiency", j.alienCpuEfficiencyPercent());
        r.put("cputime", j.cputimeSeconds());
        r.put("host", j.host());
        r.put("maxrss", j.maxRssKb());
        r.put("cpuefficiency", j.cpuEfficiencyPercent());
        r.put("finaltimestamp", j.finalMs());
        putIfNotNull(r, "masterjobid", j.masterJobId());
        r.put("pid", j.pid());
        r.put("requestedcpus", j.cores());
        r.put("requestedttl", (long) j.ttlSeconds());
        putIfNotNull(r, "runningtimestamp", j.runningMs());
        putIfNotNull(r, "savingtimestamp", j.savingMs());
        putIfNotNull(r, "startedtimestamp", j.startedMs());
        r.put("walltime", j.walltimeSeconds());
        r.put("maxvirt", j.maxVirtKb());
        r.put("site", j.site().name());
        r.put("laststatuschangetimestamp", j.finalMs());
        return r;
    }

    private static void putIfNotNull(Map<String, Object> r, String key, Object value) {
        if (value != null) {
            r.put(key, value);
        }
    }
}

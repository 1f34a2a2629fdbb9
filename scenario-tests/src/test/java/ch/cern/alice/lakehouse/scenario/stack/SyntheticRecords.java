package ch.cern.alice.lakehouse.scenario.stack;

import ch.cern.alice.lakehouse.simulator.grid.AliceSites;
import ch.cern.alice.lakehouse.simulator.grid.Site;
import ch.cern.alice.lakehouse.simulator.jobs.JobRecords;
import ch.cern.alice.lakehouse.simulator.jobs.JobSimulator;
import ch.cern.alice.lakehouse.simulator.jobs.SimulatedJob;
import ch.cern.alice.lakehouse.simulator.jobs.TimeModel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

    /**
     * Trace records with the grid's structure, from the simulator's job model (issue #18): the ten largest sites
     * (Tier-0 CERN, the Tier-1s, a Tier-2) by their sizes plus the two misbehaving Tier-2s (Kolkata, Wuhan: about
     * half the efficiency, many failures), each site's activity mix (MC ~90% CPU efficiency, analysis 30-70%, ...),
     * jobs ending over the week before {@code endMillis} with the daily cycle. Job ids from {@code firstJobId} on,
     * at most {@code idsAvailable} of them (jobs that never ran have no trace but use an id); the same seed gives
     * the same records.
     */
    public static List<Map<String, Object>> gridTrace(long firstJobId, int count, long idsAvailable, long endMillis,
                                                      long seed) {
        List<Site> sites = new ArrayList<>(AliceSites.select("10"));
        AliceSites.MISBEHAVING.forEach(name -> sites.addAll(AliceSites.select(name)));
        JobSimulator jobs = new JobSimulator(seed, sites, firstJobId, 1,
                new TimeModel(Clock.fixed(Instant.ofEpochMilli(endMillis), ZoneOffset.UTC), Duration.ofDays(7)));
        List<Map<String, Object>> records = new ArrayList<>(count);
        while (records.size() < count) {
            SimulatedJob job = jobs.next();
            if (job.jobId() >= firstJobId + idsAvailable) {
                throw new IllegalStateException("more than " + idsAvailable + " job ids for " + count + " traces");
            }
            if (job.state().ran()) {
                records.add(JobRecords.trace(job));
            }
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

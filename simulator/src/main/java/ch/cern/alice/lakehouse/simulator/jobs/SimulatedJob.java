package ch.cern.alice.lakehouse.simulator.jobs;

import ch.cern.alice.lakehouse.simulator.grid.Site;

/**
 * One grid job from submission to its final state. Timestamps are epoch milliseconds; those of steps the job never
 * reached are null. Wall and CPU time are consistent: {@code cputime = walltime * cores * efficiency}.
 */
public record SimulatedJob(
        long jobId,
        Long masterJobId,
        Integer split,
        Site site,
        String host,
        String user,
        Activity activity,
        FinalState state,
        int priority,
        int cores,
        int ttlSeconds,
        double price,
        int memoryRequestGb,
        String pwg,
        String productionTag,
        long runNumber,
        String outputDir,
        long submitMs,
        Long startedMs,
        Long runningMs,
        Long savingMs,
        long finalMs,
        int walltimeSeconds,
        double cputimeSeconds,
        double cpuEfficiencyPercent,
        double alienCpuEfficiencyPercent,
        long maxRssKb,
        long maxVirtKb,
        long pid) {
}

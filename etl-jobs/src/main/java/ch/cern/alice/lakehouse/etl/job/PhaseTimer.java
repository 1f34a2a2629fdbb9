package ch.cern.alice.lakehouse.etl.job;

import java.lang.management.ManagementFactory;

/**
 * Wall-clock and JVM CPU time of each phase of a run, reported as {@code ETL_PHASE} lines so that a benchmark (or
 * an operator reading the log) sees where the time goes. In local mode the driver JVM runs every Spark task, so
 * its CPU time is the run's compute cost, a figure far less disturbed by other load on the machine than wall time.
 */
final class PhaseTimer {

    private final ProgressReporter progress;
    private String phase;
    private long phaseStartNanos;
    private long phaseStartCpuNanos;

    PhaseTimer(ProgressReporter progress) {
        this.progress = progress;
    }

    /** Ends the current phase (if any) and starts the named one. */
    void start(String name) {
        stop();
        phase = name;
        phaseStartNanos = System.nanoTime();
        phaseStartCpuNanos = processCpuNanos();
    }

    /** Ends the current phase, if any, and reports it. */
    void stop() {
        if (phase == null) {
            return;
        }
        long wall = (System.nanoTime() - phaseStartNanos) / 1_000_000;
        long cpu = phaseStartCpuNanos < 0 ? -1 : (processCpuNanos() - phaseStartCpuNanos) / 1_000_000;
        progress.phase(phase, wall, cpu);
        phase = null;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}

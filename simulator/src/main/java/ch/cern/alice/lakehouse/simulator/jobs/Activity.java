package ch.cern.alice.lakehouse.simulator.jobs;

import java.util.random.RandomGenerator;

/**
 * What a job does, with the CPU efficiency and resource profile typical for it on the ALICE grid: Monte Carlo ~90%,
 * reconstruction ~80%, analysis 30-70% (I/O bound), calibration in between.
 */
public enum Activity {
    MC("MC", 0.55, "aliprod", 36_000, 72_000),
    RECONSTRUCTION("reconstruction", 0.15, "aliprod", 36_000, 86_400),
    ANALYSIS("analysis", 0.25, null, 3_600, 36_000),
    CALIBRATION("calibration", 0.05, "alidaq", 7_200, 43_200);

    private final String jdlName;
    private final double share;
    private final String productionUser;
    private final int minTtl;
    private final int maxTtl;

    Activity(String jdlName, double share, String productionUser, int minTtl, int maxTtl) {
        this.jdlName = jdlName;
        this.share = share;
        this.productionUser = productionUser;
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
    }

    /** The value of the JDL {@code Activity} attribute and the job_info activity column. */
    public String jdlName() {
        return jdlName;
    }

    public static Activity pick(RandomGenerator random) {
        double r = random.nextDouble();
        for (Activity a : values()) {
            r -= a.share;
            if (r < 0) {
                return a;
            }
        }
        return MC;
    }

    /** CPU efficiency (cputime / (walltime * cores)) of a job that ran to its end, 0..1. */
    public double cpuEfficiency(RandomGenerator random) {
        double e = switch (this) {
            case MC -> random.nextGaussian(0.90, 0.04);
            case RECONSTRUCTION -> random.nextGaussian(0.80, 0.07);
            case ANALYSIS -> 0.30 + 0.40 * random.nextDouble() + random.nextGaussian(0, 0.03);
            case CALIBRATION -> random.nextGaussian(0.65, 0.10);
        };
        return clamp(e, 0.05, 0.99);
    }

    public int cores(RandomGenerator random) {
        return switch (this) {
            case MC -> random.nextDouble() < 0.7 ? 8 : 1;
            case RECONSTRUCTION -> 8;
            case ANALYSIS -> 1;
            case CALIBRATION -> random.nextDouble() < 0.5 ? 8 : 4;
        };
    }

    public int ttlSeconds(RandomGenerator random) {
        int ttl = minTtl + random.nextInt(maxTtl - minTtl + 1);
        return ttl / 600 * 600;
    }

    /** Wall time of the payload when it runs to completion, seconds; always below the TTL. */
    public int payloadSeconds(RandomGenerator random, int ttl) {
        double median = switch (this) {
            case MC -> 4 * 3600;
            case RECONSTRUCTION -> 6 * 3600;
            case ANALYSIS -> 1800;
            case CALIBRATION -> 2 * 3600;
        };
        double w = median * Math.exp(random.nextGaussian(0, 0.5));
        return (int) clamp(w, 120, ttl * 0.95);
    }

    /** Peak resident memory per job in kB; a small tail of memory hogs. */
    public long maxRssKb(RandomGenerator random, int cores) {
        double gbPerCore = switch (this) {
            case MC -> 1.6;
            case RECONSTRUCTION -> 2.0;
            case ANALYSIS -> 1.2;
            case CALIBRATION -> 1.5;
        };
        double gb = gbPerCore * cores * Math.exp(random.nextGaussian(0, 0.25));
        if (random.nextDouble() < 0.01) {
            gb *= 3 + 3 * random.nextDouble();
        }
        return Math.round(gb * 1024 * 1024);
    }

    /** The JDL MemorySize request in GB (what the job asked for, usually above what it used). */
    public int memoryRequestGb(int cores) {
        return this == ANALYSIS ? 2 : Math.max(2, 2 * cores);
    }

    public String productionUser() {
        return productionUser;
    }

    static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}

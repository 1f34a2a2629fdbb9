package ch.cern.alice.lakehouse.simulator.jobs;

import java.util.random.RandomGenerator;

/**
 * What a job does, with the CPU efficiency, resource and failure profile typical for it on the ALICE grid: Monte Carlo
 * ~90%, reconstruction ~80%, organised analysis (trains) 30-70% (I/O bound), calibration in between, and users' own
 * jobs: least efficient and most often failing. Shares are grid-wide; {@link #pick(RandomGenerator, int)} gives a
 * site's mix by tier (reconstruction and calibration at the Tier-0/1s, MC and analysis everywhere, user jobs mostly
 * at Tier-2s).
 */
public enum Activity {
    MC("MC", 0.52, "aliprod", 36_000, 72_000, 0.7, 0.1),
    RECONSTRUCTION("reconstruction", 0.14, "aliprod", 36_000, 86_400, 0.9, 0.1),
    ANALYSIS("analysis", 0.22, null, 3_600, 36_000, 1.3, 0.6),
    CALIBRATION("calibration", 0.05, "alidaq", 7_200, 43_200, 1.0, 0.2),
    USER("user", 0.07, null, 1_800, 21_600, 2.5, 0.8);

    private final String jdlName;
    private final double share;
    private final String productionUser;
    private final int minTtl;
    private final int maxTtl;
    private final double failureFactor;
    private final double dailyAmplitude;

    Activity(String jdlName, double share, String productionUser, int minTtl, int maxTtl, double failureFactor,
             double dailyAmplitude) {
        this.jdlName = jdlName;
        this.share = share;
        this.productionUser = productionUser;
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
        this.failureFactor = failureFactor;
        this.dailyAmplitude = dailyAmplitude;
    }

    /** How much more often than the grid's average its jobs fail (users' own jobs most, MC least). */
    public double failureFactor() {
        return failureFactor;
    }

    /**
     * How strongly its job count follows the working day (0 = flat, as queued productions; analysis and user jobs
     * are submitted by people, peaking in the European afternoon).
     */
    public double dailyAmplitude() {
        return dailyAmplitude;
    }

    /** The activity mix of a site of the given tier. */
    public static Activity pick(RandomGenerator random, int tier) {
        double[] weights = switch (tier) {
            case 0 -> new double[]{0.35, 0.30, 0.20, 0.12, 0.03};
            case 1 -> new double[]{0.45, 0.22, 0.22, 0.06, 0.05};
            default -> new double[]{0.60, 0.04, 0.24, 0.01, 0.11};
        };
        double r = random.nextDouble();
        Activity[] all = values();
        for (int i = 0; i < all.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return all[i];
            }
        }
        return MC;
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
            case USER -> 0.20 + 0.50 * random.nextDouble() + random.nextGaussian(0, 0.05);
        };
        return clamp(e, 0.05, 0.99);
    }

    public int cores(RandomGenerator random) {
        return switch (this) {
            case MC -> random.nextDouble() < 0.7 ? 8 : 1;
            case RECONSTRUCTION -> 8;
            case ANALYSIS -> 1;
            case CALIBRATION -> random.nextDouble() < 0.5 ? 8 : 4;
            case USER -> 1;
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
            case USER -> 1200;
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
            case USER -> 1.0;
        };
        double gb = gbPerCore * cores * Math.exp(random.nextGaussian(0, 0.25));
        if (random.nextDouble() < 0.01) {
            gb *= 3 + 3 * random.nextDouble();
        }
        return Math.round(gb * 1024 * 1024);
    }

    /** The JDL MemorySize request in GB (what the job asked for, usually above what it used). */
    public int memoryRequestGb(int cores) {
        return this == ANALYSIS || this == USER ? 2 : Math.max(2, 2 * cores);
    }

    public String productionUser() {
        return productionUser;
    }

    static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}

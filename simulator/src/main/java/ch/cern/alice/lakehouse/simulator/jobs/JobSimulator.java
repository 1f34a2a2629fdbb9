package ch.cern.alice.lakehouse.simulator.jobs;

import ch.cern.alice.lakehouse.simulator.grid.Site;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Generates jobs with consistent lifecycles. Not thread-safe: give each sender thread its own instance (own seed and
 * own job id stride) so ids never collide.
 */
public final class JobSimulator {

    private static final String[] PWGS = {"PWGHF", "PWGLF", "PWGDQ", "PWGJE", "PWGCF", "PWGEM", "PWGUD", "PWGPP"};
    private static final String[] PERIODS = {"LHC24af", "LHC24ag", "LHC24ak", "LHC24al", "LHC24am", "LHC25ac",
            "LHC25ad", "LHC25ae"};

    private final RandomGenerator random;
    private final List<Site> sites;
    private final double[] cumulativeWeights;
    private final long firstJobId;
    private final int idStride;
    private final TimeModel time;
    private long next;

    /**
     * @param firstJobId the id of this instance's first job; it then counts up by {@code idStride}
     * @param time       when jobs end (live: now; history: spread over past days)
     */
    public JobSimulator(long seed, List<Site> sites, long firstJobId, int idStride, TimeModel time) {
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("no sites to simulate");
        }
        this.random = new SplittableRandom(seed);
        this.sites = List.copyOf(sites);
        this.cumulativeWeights = new double[sites.size()];
        double sum = 0;
        for (int i = 0; i < sites.size(); i++) {
            sum += sites.get(i).weight();
            cumulativeWeights[i] = sum;
        }
        this.firstJobId = firstJobId;
        this.idStride = idStride;
        this.time = time;
    }

    public SimulatedJob next() {
        long jobId = firstJobId + (next++) * idStride;
        Site site = pickSite();
        Activity activity = Activity.pick(random, site.tier());
        FinalState state = FinalState.pick(random, activity.failureFactor() * site.failureFactor());
        int cores = activity.cores(random);
        int ttl = activity.ttlSeconds(random);

        boolean split = activity != Activity.ANALYSIS && activity != Activity.USER || random.nextDouble() < 0.5;
        Long master = split ? jobId - 1 - random.nextInt(5000) : null;
        Integer splitIndex = split ? random.nextInt(1, 2000) : null;
        String user = activity.productionUser() != null ? activity.productionUser()
                : activity == Activity.ANALYSIS ? "alitrain" : String.format("user%03d", random.nextInt(1, 300));
        int priority = switch (activity) {
            case MC, RECONSTRUCTION -> 5 + random.nextInt(4);
            case CALIBRATION -> 9;
            case ANALYSIS -> 1 + random.nextInt(5);
            case USER -> 1 + random.nextInt(3);
        };
        String pwg = PWGS[random.nextInt(PWGS.length)];
        String period = PERIODS[random.nextInt(PERIODS.length)];
        String tag = activity == Activity.MC ? period.substring(0, 5) + "f" + (1 + random.nextInt(9))
                : period + "_apass" + (1 + random.nextInt(4));
        long runNumber = 540_000 + random.nextInt(25_000);
        String outputDir = switch (activity) {
            case MC -> "/alice/sim/20" + period.substring(3, 5) + "/" + tag + "/" + runNumber + "/"
                    + String.format("%03d", splitIndex == null ? 1 : splitIndex);
            case RECONSTRUCTION, CALIBRATION -> "/alice/data/20" + period.substring(3, 5) + "/" + period + "/"
                    + runNumber + "/" + tag.substring(tag.indexOf('_') + 1);
            case ANALYSIS, USER -> "/alice/cern.ch/user/" + user.charAt(0) + "/" + user + "/" + pwg + "/out_" + jobId;
        };

        // lifecycle, built backwards from the moment the job ended
        long finalMs = time.nextFinalMillis(random, activity.dailyAmplitude());
        int payload = activity.payloadSeconds(random, ttl);
        int waitSeconds = (int) Activity.clamp(600 * Math.exp(random.nextGaussian(0, 1.2)), 20, 6 * 3600);
        long savingMs;
        Long startedMs = null;
        Long runningMs = null;
        Long saving = null;
        int walltime;
        switch (state) {
            case EXPIRED -> {
                walltime = 0;
                savingMs = 0;
                waitSeconds = ttl;
            }
            case ERROR_IB -> {
                walltime = 5 + random.nextInt(120);
                startedMs = finalMs - walltime * 1000L;
                savingMs = 0;
            }
            default -> {
                double fraction = switch (state) {
                    case ERROR_E, FAILED -> 0.05 + 0.6 * random.nextDouble();
                    case KILLED -> 0.01 + 0.9 * random.nextDouble();
                    case ZOMBIE -> 0.3 + 0.7 * random.nextDouble();
                    default -> 1.0;
                };
                walltime = Math.max(30, (int) (payload * fraction));
                int savingSeconds = state.reached(FinalState.Stage.SAVING) ? 10 + random.nextInt(290) : 0;
                savingMs = finalMs - savingSeconds * 1000L;
                runningMs = savingMs - walltime * 1000L;
                startedMs = runningMs - (5 + random.nextInt(55)) * 1000L;
                saving = state.reached(FinalState.Stage.SAVING) ? savingMs : null;
            }
        }
        long submitMs = (startedMs != null ? startedMs : finalMs) - waitSeconds * 1000L;

        // the site's factor, and the busy hours' contention on storage for the I/O-bound activities
        double contention = activity == Activity.ANALYSIS || activity == Activity.USER
                ? 1 - 0.08 * (TimeModel.dailyWeight(finalMs, 1) / 2) : 1;
        double efficiency = state.ran()
                ? Activity.clamp(activity.cpuEfficiency(random) * site.efficiencyFactor() * contention, 0.03, 0.99)
                : 0;
        if (state == FinalState.ZOMBIE) {
            efficiency *= 0.3;
        }
        double cputime = round2(walltime * cores * efficiency);
        double cpuEff = walltime == 0 ? 0 : round2(100.0 * cputime / ((double) walltime * cores));
        // AliEn's own figure is sampled by the job wrapper: close to, not equal to, the exact ratio
        double alienEff = walltime == 0 ? 0 : round2(Activity.clamp(cpuEff + random.nextGaussian(0, 1.5), 0, 100));
        long rss = state.ran() ? activity.maxRssKb(random, cores) : 0;
        long virt = Math.round(rss * (1.3 + 1.2 * random.nextDouble()));

        double price = activity == Activity.ANALYSIS || activity == Activity.USER ? 1.0 : 2.0;
        return new SimulatedJob(jobId, master, splitIndex, site, site.workerHost(random.nextInt(100_000)), user,
                activity, state, priority, cores, ttl, price,
                activity.memoryRequestGb(cores), pwg, tag, runNumber, outputDir, submitMs, startedMs, runningMs,
                saving, finalMs, walltime, cputime, cpuEff, alienEff, rss, virt, 1000 + random.nextInt(4_000_000));
    }

    private Site pickSite() {
        double r = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (r < cumulativeWeights[i]) {
                return sites.get(i);
            }
        }
        return sites.get(sites.size() - 1);
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}

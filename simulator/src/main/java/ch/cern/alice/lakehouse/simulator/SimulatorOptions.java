package ch.cern.alice.lakehouse.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags, each with an environment variable fallback ({@code SIMULATOR_*}) and a default fit for the
 * local stack.
 */
public record SimulatorOptions(
        URI collector,
        double jobsPerSecond,
        Duration duration,
        long maxJobs,
        int threads,
        int batchSize,
        String sites,
        Duration history,
        Duration metricsInterval,
        List<String> datasets,
        long seed,
        long firstJobId,
        String apiKeys,
        String apiKeyPattern,
        boolean dryRun,
        boolean printSiteKeys) {

    public static final List<String> ALL_DATASETS = List.of("job_info", "jdl", "trace", "metrics");

    static final String USAGE = """
            usage: simulator [options]
              --collector URL         collector base URL ($LAKEHOUSE_COLLECTOR_URL, http://127.0.0.1:8081)
              --rate N                jobs per second, 0 = as fast as possible ($SIMULATOR_RATE, 50)
              --duration SECONDS      stop after this long, 0 = no limit ($SIMULATOR_DURATION, 60)
              --jobs N                stop after N jobs, 0 = no limit ($SIMULATOR_JOBS, 0)
              --threads N             sender threads ($SIMULATOR_THREADS, 2)
              --batch N               records per request ($SIMULATOR_BATCH, 500)
              --sites all|N|A,B,...   all sites, the N largest, or named ones ($SIMULATOR_SITES, all)
              --history-days D        spread job end times over the last D days, 0 = now ($SIMULATOR_HISTORY_DAYS, 0)
              --metrics-interval S    MonALISA tick every S seconds, 0 = off ($SIMULATOR_METRICS_INTERVAL, 10)
              --datasets a,b          subset of job_info,jdl,trace,metrics ($SIMULATOR_DATASETS, all)
              --seed N                random seed ($SIMULATOR_SEED, time based)
              --job-id-start N        first job id ($SIMULATOR_JOB_ID_START, derived from the clock)
              --api-keys S=K,...      API key per site ($SIMULATOR_API_KEYS)
              --api-key-pattern P     key of other sites, {site} = name ($SIMULATOR_API_KEY_PATTERN, demo-{site}-key)
              --dry-run               generate and validate only, send nothing
              --print-site-keys       print the COLLECTOR_SITE_KEYS value for the selected sites and exit
            """;

    public static SimulatorOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new HashMap<>();
        boolean dryRun = false;
        boolean printKeys = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--dry-run" -> dryRun = true;
                case "--print-site-keys" -> printKeys = true;
                case "--help", "-h" -> throw new UsageException(USAGE);
                default -> {
                    if (!a.startsWith("--")) {
                        throw new UsageException("unexpected argument '" + a + "'\n" + USAGE);
                    }
                    int eq = a.indexOf('=');
                    if (eq > 0) {
                        flags.put(a.substring(2, eq), a.substring(eq + 1));
                    } else if (i + 1 < args.length) {
                        flags.put(a.substring(2), args[++i]);
                    } else {
                        throw new UsageException("option " + a + " needs a value\n" + USAGE);
                    }
                }
            }
        }
        Lookup v = new Lookup(flags, env);
        List<String> datasets = List.of(v.get("datasets", "SIMULATOR_DATASETS", String.join(",", ALL_DATASETS))
                .split(","));
        datasets = datasets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String d : datasets) {
            if (!ALL_DATASETS.contains(d)) {
                throw new UsageException("unknown dataset '" + d + "' in --datasets; known: " + ALL_DATASETS);
            }
        }
        long defaultFirstId = 3_000_000_000L + (System.currentTimeMillis() - 1_700_000_000_000L) * 10;
        SimulatorOptions o = new SimulatorOptions(
                URI.create(v.get("collector", "LAKEHOUSE_COLLECTOR_URL", "http://127.0.0.1:8081")),
                v.getDouble("rate", "SIMULATOR_RATE", 50),
                Duration.ofSeconds(v.getLong("duration", "SIMULATOR_DURATION", 60)),
                v.getLong("jobs", "SIMULATOR_JOBS", 0),
                (int) v.getLong("threads", "SIMULATOR_THREADS", 2),
                (int) v.getLong("batch", "SIMULATOR_BATCH", 500),
                v.get("sites", "SIMULATOR_SITES", "all"),
                Duration.ofSeconds(Math.round(v.getDouble("history-days", "SIMULATOR_HISTORY_DAYS", 0) * 86400)),
                Duration.ofSeconds(v.getLong("metrics-interval", "SIMULATOR_METRICS_INTERVAL", 10)),
                datasets,
                v.getLong("seed", "SIMULATOR_SEED", System.nanoTime()),
                v.getLong("job-id-start", "SIMULATOR_JOB_ID_START", defaultFirstId),
                v.get("api-keys", "SIMULATOR_API_KEYS", null),
                v.get("api-key-pattern", "SIMULATOR_API_KEY_PATTERN", null),
                dryRun, printKeys);
        if (o.threads < 1 || o.batchSize < 1 || o.jobsPerSecond < 0) {
            throw new UsageException("--threads and --batch must be at least 1, --rate not negative");
        }
        if (o.duration.isZero() && o.maxJobs == 0 && !printKeys) {
            throw new UsageException("give --duration or --jobs, or the simulator would never stop");
        }
        return o;
    }

    public boolean sends(String dataset) {
        return datasets.contains(dataset);
    }

    /** A mistake in the command line: the message says what. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private record Lookup(Map<String, String> flags, Map<String, String> env) {
        String get(String flag, String envVar, String def) {
            String value = flags.get(flag);
            if (value == null && envVar != null) {
                value = env.get(envVar);
            }
            return value == null || value.isBlank() ? def : value.strip();
        }

        long getLong(String flag, String envVar, long def) {
            String s = get(flag, envVar, null);
            try {
                return s == null ? def : Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new UsageException("--" + flag + " must be a whole number, got '" + s + "'");
            }
        }

        double getDouble(String flag, String envVar, double def) {
            String s = get(flag, envVar, null);
            try {
                return s == null ? def : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new UsageException("--" + flag + " must be a number, got '" + s + "'");
            }
        }
    }
}

package ch.cern.alice.lakehouse.simulator;

import ch.cern.alice.lakehouse.simulator.grid.AliceSites;
import ch.cern.alice.lakehouse.simulator.grid.Site;
import ch.cern.alice.lakehouse.simulator.send.SiteKeys;

import java.util.List;

/** Entry point: {@code java -jar simulator.jar --help}. Exit code 0 = all records accepted, 1 = some were not. */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        SimulatorOptions options;
        List<Site> sites;
        SiteKeys keys;
        try {
            options = SimulatorOptions.parse(args, System.getenv());
            sites = AliceSites.select(options.sites());
            keys = new SiteKeys(options.apiKeys(), options.apiKeyPattern());
        } catch (SimulatorOptions.UsageException | IllegalArgumentException e) {
            boolean help = e.getMessage().equals(SimulatorOptions.USAGE);
            (help ? System.out : System.err).println(e.getMessage());
            System.exit(help ? 0 : 2);
            return;
        }
        if (options.printSiteKeys()) {
            System.out.println(keys.collectorSiteKeys(sites));
            return;
        }
        System.out.printf("simulating %d ALICE sites -> %s: %s jobs/s, %s, %d threads, batches of %d%s%n",
                sites.size(), options.dryRun() ? "nowhere (dry run)" : options.collector(),
                options.jobsPerSecond() == 0 ? "max" : String.valueOf(options.jobsPerSecond()),
                options.duration().isZero() ? options.maxJobs() + " jobs" : options.duration().toSeconds() + " s"
                        + (options.maxJobs() > 0 ? " or " + options.maxJobs() + " jobs" : ""),
                options.threads(), options.batchSize(),
                options.history().isZero() ? "" : ", job ends spread over " + options.history().toDays() + " days");
        RunStats stats = new GridRun(options, sites, keys).run();
        System.out.print(stats.summary(options.dryRun()));
        System.exit(stats.clean() ? 0 : 1);
    }
}

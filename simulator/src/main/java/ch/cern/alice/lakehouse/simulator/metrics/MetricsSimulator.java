package ch.cern.alice.lakehouse.simulator.metrics;

import ch.cern.alice.lakehouse.simulator.grid.AliceSites;
import ch.cern.alice.lakehouse.simulator.grid.Site;
import ch.cern.alice.lakehouse.simulator.jobs.TimeModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MonALISA-style site monitoring: per site and tick, job counts of its computing element (cluster ALICE_CE), load of
 * its VoBox (cluster MonaLisa) and its network traffic (cluster Site_Traffic_Summary). Values follow a random walk
 * around the site's share of ~150k concurrently running ALICE jobs, so consecutive ticks look like a time series;
 * waiting jobs and incoming traffic follow the daily cycle, CPU use the site's efficiency (misbehaving sites show).
 */
public final class MetricsSimulator {

    public static final int GRID_RUNNING_JOBS = 150_000;
    public static final List<String> PARAMETERS =
            List.of("running_jobs", "waiting_jobs", "assigned_jobs", "load1", "cpu_usage", "net_in", "net_out");

    /** One metrics record and the site that reports it. */
    public record SiteMetric(Site site, Map<String, Object> record) {
    }

    private static final double GRID_WEIGHT = AliceSites.ALL.stream().mapToDouble(Site::weight).sum();

    private final List<Site> sites;
    private final SplittableRandom random;
    /** per site: current fill of its job slots relative to its share, around 1.0 */
    private final double[] fill;

    public MetricsSimulator(List<Site> sites, long seed) {
        this.sites = List.copyOf(sites);
        this.random = new SplittableRandom(seed);
        this.fill = new double[sites.size()];
        Arrays.fill(fill, 1.0);
    }

    /** All sites' metrics for one moment (epoch ms). */
    public List<SiteMetric> tick(long timestampMs) {
        List<SiteMetric> out = new ArrayList<>(sites.size() * PARAMETERS.size());
        for (int i = 0; i < sites.size(); i++) {
            Site site = sites.get(i);
            fill[i] = Math.max(0.2, Math.min(1.3, fill[i] + random.nextDouble(-0.05, 0.05)));
            double share = GRID_RUNNING_JOBS * site.weight() / GRID_WEIGHT;
            long running = Math.round(share * fill[i]);
            // people submit by day: queues and traffic follow the daily cycle; CPU use follows the site's efficiency
            double day = TimeModel.dailyWeight(timestampMs, 0.5);
            long waiting = Math.round(share * (0.1 + 0.3 * random.nextDouble()) * day);
            long assigned = Math.round(running * 0.01 * random.nextDouble());
            double cpuUsage = Math.max(0, Math.min(100,
                    (60 + 35 * Math.min(1, fill[i])) * site.efficiencyFactor() + random.nextDouble(-5, 5)));
            double load1 = round2(0.5 + 4 * random.nextDouble());
            double netIn = round2(running * 0.02 * (0.5 + random.nextDouble()) * day);
            double netOut = round2(running * 0.008 * (0.5 + random.nextDouble()));

            String ce = site.computingElement();
            out.add(metric(site, "ALICE_CE", ce, "running_jobs", running, timestampMs));
            out.add(metric(site, "ALICE_CE", ce, "waiting_jobs", waiting, timestampMs));
            out.add(metric(site, "ALICE_CE", ce, "assigned_jobs", assigned, timestampMs));
            out.add(metric(site, "MonaLisa", site.voBox(), "load1", load1, timestampMs));
            out.add(metric(site, "MonaLisa", site.voBox(), "cpu_usage", round2(cpuUsage), timestampMs));
            out.add(metric(site, "Site_Traffic_Summary", "total", "net_in", netIn, timestampMs));
            out.add(metric(site, "Site_Traffic_Summary", "total", "net_out", netOut, timestampMs));
        }
        return out;
    }

    private static SiteMetric metric(Site site, String cluster, String node, String parameter, double value,
                                     long timestampMs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("farm", site.name());
        r.put("cluster", cluster);
        r.put("node", node);
        r.put("parameter", parameter);
        r.put("value", value);
        r.put("timestamp", timestampMs);
        return new SiteMetric(site, r);
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}

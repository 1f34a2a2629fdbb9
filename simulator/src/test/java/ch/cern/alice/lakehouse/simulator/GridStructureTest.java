package ch.cern.alice.lakehouse.simulator;

import ch.cern.alice.lakehouse.simulator.grid.AliceSites;
import ch.cern.alice.lakehouse.simulator.grid.Site;
import ch.cern.alice.lakehouse.simulator.jobs.Activity;
import ch.cern.alice.lakehouse.simulator.jobs.FinalState;
import ch.cern.alice.lakehouse.simulator.jobs.JobSimulator;
import ch.cern.alice.lakehouse.simulator.jobs.SimulatedJob;
import ch.cern.alice.lakehouse.simulator.jobs.TimeModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo data has the grid's structure (issue #18): sites differ in efficiency, the misbehaving sites stand out,
 * activities have their own efficiency and failure profile, tiers their own mix, and people's jobs follow the day.
 */
class GridStructureTest {

    private static final int JOBS = 60_000;
    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    private static List<SimulatedJob> jobs;

    @BeforeAll
    static void simulate() {
        jobs = simulate(7, JOBS);
    }

    private static List<SimulatedJob> simulate(long seed, int n) {
        JobSimulator sim = new JobSimulator(seed, AliceSites.ALL, 4_000_000_000L, 1,
                new TimeModel(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30)));
        List<SimulatedJob> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sim.next());
        }
        return out;
    }

    @Test
    void sitesHaveTiersAndTheMisbehavingOnesAreKnown() {
        Map<Integer, Long> perTier = AliceSites.ALL.stream().collect(Collectors.groupingBy(Site::tier,
                Collectors.counting()));
        assertThat(perTier).containsEntry(0, 1L);
        assertThat(perTier.get(1)).isBetween(7L, 10L);
        assertThat(perTier.get(2)).isGreaterThan(30L);
        assertThat(AliceSites.ALL.stream().filter(Site::misbehaving).map(Site::name))
                .containsExactlyInAnyOrderElementsOf(AliceSites.MISBEHAVING);
    }

    @Test
    void siteEfficienciesSpreadAndTheMisbehavingSitesStandOut() {
        Map<String, Double> efficiency = meanEfficiencyPerSite();
        double lowestWellBehaved = efficiency.entrySet().stream()
                .filter(e -> !AliceSites.MISBEHAVING.contains(e.getKey())).mapToDouble(Map.Entry::getValue).min()
                .orElseThrow();
        double highest = efficiency.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(highest - lowestWellBehaved).as("spread of the well-behaved sites: %s", efficiency)
                .isGreaterThan(8);
        for (String bad : AliceSites.MISBEHAVING) {
            assertThat(efficiency.get(bad)).as(bad + " among " + efficiency).isLessThan(lowestWellBehaved - 10);
        }
        double gridErrors = errorRate(j -> true);
        for (String bad : AliceSites.MISBEHAVING) {
            assertThat(errorRate(j -> j.site().name().equals(bad))).as(bad + " error rate vs grid " + gridErrors)
                    .isGreaterThan(2.5 * gridErrors);
        }
    }

    @Test
    void activitiesHaveTheirOwnEfficiencyAndFailureProfile() {
        Predicate<SimulatedJob> wellBehaved = j -> !j.site().misbehaving();
        assertThat(meanEfficiency(Activity.MC, wellBehaved)).isBetween(85.0, 94.0);
        assertThat(meanEfficiency(Activity.ANALYSIS, wellBehaved)).isBetween(35.0, 60.0);
        assertThat(meanEfficiency(Activity.USER, wellBehaved)).isLessThan(meanEfficiency(Activity.ANALYSIS,
                wellBehaved));
        assertThat(errorRate(j -> j.activity() == Activity.USER))
                .isGreaterThan(2.5 * errorRate(j -> j.activity() == Activity.MC));
        double overallDone = 1 - errorRate(j -> true);
        assertThat(overallDone).as("share of DONE jobs grid-wide").isBetween(0.80, 0.90);
    }

    @Test
    void reconstructionRunsAtTier0And1AndUserJobsMostlyAtTier2() {
        double recoT01 = share(j -> j.site().tier() < 2, j -> j.activity() == Activity.RECONSTRUCTION);
        double recoT2 = share(j -> j.site().tier() == 2, j -> j.activity() == Activity.RECONSTRUCTION);
        assertThat(recoT01).isGreaterThan(4 * recoT2);
        assertThat(share(j -> j.site().tier() == 2, j -> j.activity() == Activity.USER))
                .isGreaterThan(share(j -> j.site().tier() < 2, j -> j.activity() == Activity.USER));
    }

    @Test
    void peoplesJobsFollowTheDayProductionDoesNot() {
        Predicate<SimulatedJob> people = j -> j.activity() == Activity.ANALYSIS || j.activity() == Activity.USER;
        assertThat(afternoonToNight(people)).as("analysis and user jobs ending 13-17 h vs 01-05 h UTC")
                .isGreaterThan(2.0);
        assertThat(afternoonToNight(j -> j.activity() == Activity.MC)).as("MC").isBetween(0.8, 1.5);
    }

    @Test
    void theSameSeedGivesTheSameJobs() {
        assertThat(simulate(11, 300)).isEqualTo(simulate(11, 300));
        assertThat(simulate(11, 300)).isNotEqualTo(simulate(12, 300));
    }

    private static double afternoonToNight(Predicate<SimulatedJob> filter) {
        long afternoon = jobs.stream().filter(filter).filter(j -> hour(j) >= 13 && hour(j) < 17).count();
        long night = jobs.stream().filter(filter).filter(j -> hour(j) >= 1 && hour(j) < 5).count();
        return afternoon / (double) night;
    }

    private static int hour(SimulatedJob j) {
        return (int) (Math.floorMod(j.finalMs(), 86_400_000L) / 3_600_000L);
    }

    private static Map<String, Double> meanEfficiencyPerSite() {
        return jobs.stream().filter(j -> j.state() == FinalState.DONE)
                .collect(Collectors.groupingBy(j -> j.site().name(), Collectors.toList()))
                .entrySet().stream().filter(e -> e.getValue().size() >= 150)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stream()
                        .mapToDouble(SimulatedJob::cpuEfficiencyPercent).average().orElseThrow()));
    }

    private static double meanEfficiency(Activity a, Predicate<SimulatedJob> filter) {
        return jobs.stream().filter(filter).filter(j -> j.activity() == a && j.state() == FinalState.DONE)
                .mapToDouble(SimulatedJob::cpuEfficiencyPercent).average().orElseThrow();
    }

    private static double errorRate(Predicate<SimulatedJob> filter) {
        return share(filter, j -> j.state().isError());
    }

    private static double share(Predicate<SimulatedJob> of, Predicate<SimulatedJob> which) {
        List<SimulatedJob> selected = jobs.stream().filter(of).toList();
        return selected.stream().filter(which).count() / (double) selected.size();
    }
}

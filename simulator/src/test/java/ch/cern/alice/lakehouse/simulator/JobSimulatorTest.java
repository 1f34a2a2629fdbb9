package ch.cern.alice.lakehouse.simulator;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;
import ch.cern.alice.lakehouse.common.jdl.JdlParser;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.common.record.ValidationResult;
import ch.cern.alice.lakehouse.simulator.grid.AliceSites;
import ch.cern.alice.lakehouse.simulator.jobs.Activity;
import ch.cern.alice.lakehouse.simulator.jobs.FinalState;
import ch.cern.alice.lakehouse.simulator.jobs.JobRecords;
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
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JobSimulatorTest {

    private static final int JOBS = 20_000;
    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    private static final DatasetCatalog CATALOG = DatasetCatalog.builtIn();
    private static List<SimulatedJob> jobs;

    @BeforeAll
    static void simulate() {
        JobSimulator sim = new JobSimulator(42, AliceSites.ALL, 3_100_000_000L, 1,
                new TimeModel(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90)));
        jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(sim.next());
        }
    }

    @Test
    void everyRecordPassesItsDescriptorAndCarriesOnlySentFields() {
        for (SimulatedJob j : jobs) {
            assertValid("job_info", JobRecords.jobInfo(j));
            assertValid("jdl", JobRecords.jdl(j));
            if (j.state().ran()) {
                assertValid("trace", JobRecords.trace(j));
            }
        }
    }

    private static void assertValid(String dataset, Map<String, Object> record) {
        DatasetDescriptor d = CATALOG.get(dataset);
        ValidationResult r = RecordValidator.validate(d, record, String.valueOf(record.getOrDefault("site", "CERN")));
        assertThat(r.errors()).as("%s record %s", dataset, record).isEmpty();
        Set<String> sent = d.sentFields().stream().map(FieldSpec::name).collect(Collectors.toSet());
        assertThat(sent).as("%s fields", dataset).containsAll(record.keySet());
    }

    @Test
    void traceRecordsUseEveryTraceColumn() {
        Set<String> seen = new HashSet<>();
        jobs.stream().filter(j -> j.state().ran()).forEach(j -> seen.addAll(JobRecords.trace(j).keySet()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                CATALOG.get("trace").sentFields().stream().map(FieldSpec::name).toList());
    }

    @Test
    void jobIdsAreUniqueAndTimesFallInTheHistoryWindow() {
        assertThat(jobs.stream().map(SimulatedJob::jobId).distinct().count()).isEqualTo(JOBS);
        long from = NOW.minus(Duration.ofDays(90)).toEpochMilli();
        assertThat(jobs).allSatisfy(j -> assertThat(j.finalMs()).isBetween(from, NOW.toEpochMilli()));
        // 90 days span at least three calendar months
        assertThat(jobs.stream().map(j -> Instant.ofEpochMilli(j.finalMs()).atZone(ZoneOffset.UTC).getMonth())
                .distinct().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void lifecycleTimestampsAreOrderedAndTimesAreConsistent() {
        for (SimulatedJob j : jobs) {
            assertThat(j.submitMs()).isLessThanOrEqualTo(j.finalMs());
            if (j.startedMs() != null) {
                assertThat(j.startedMs()).isGreaterThanOrEqualTo(j.submitMs()).isLessThanOrEqualTo(j.finalMs());
            }
            if (j.runningMs() != null) {
                assertThat(j.runningMs()).isGreaterThan(j.startedMs());
                long end = j.savingMs() != null ? j.savingMs() : j.finalMs();
                assertThat((end - j.runningMs()) / 1000).isEqualTo(j.walltimeSeconds());
            }
            if (j.savingMs() != null) {
                assertThat(j.savingMs()).isLessThanOrEqualTo(j.finalMs());
            }
            assertThat(j.walltimeSeconds()).isLessThanOrEqualTo(j.ttlSeconds());
            assertThat(j.cpuEfficiencyPercent()).isBetween(0.0, 100.0);
            assertThat(j.alienCpuEfficiencyPercent()).isBetween(0.0, 100.0);
            if (j.walltimeSeconds() > 0 && j.state().ran()) {
                double expected = j.walltimeSeconds() * j.cores() * j.cpuEfficiencyPercent() / 100.0;
                assertThat(j.cputimeSeconds()).isCloseTo(expected, within(0.02 * j.cores() * j.walltimeSeconds()));
                assertThat(j.cputimeSeconds()).isLessThanOrEqualTo((double) j.walltimeSeconds() * j.cores());
            }
            assertThat(j.maxVirtKb()).isGreaterThanOrEqualTo(j.maxRssKb());
        }
    }

    @Test
    void jobsThatNeverRanHaveNoStartAndNoTrace() {
        List<SimulatedJob> expired = jobs.stream().filter(j -> j.state() == FinalState.EXPIRED).toList();
        assertThat(expired).isNotEmpty().allSatisfy(j -> {
            assertThat(j.startedMs()).isNull();
            assertThat(j.walltimeSeconds()).isZero();
            assertThat(JobRecords.jobInfo(j)).doesNotContainKeys("job_start_timestamp", "exec_host");
            assertThatThrownBy(() -> JobRecords.trace(j)).hasMessageContaining("never ran");
        });
    }

    @Test
    void finalStatesFollowRealisticProportions() {
        Map<FinalState, Long> counts = new EnumMap<>(FinalState.class);
        jobs.forEach(j -> counts.merge(j.state(), 1L, Long::sum));
        assertThat(counts.keySet()).containsExactlyInAnyOrder(FinalState.values());
        for (FinalState s : FinalState.values()) {
            double share = counts.get(s) / (double) JOBS;
            // grid-wide; per activity and site they differ (GridStructureTest)
            assertThat(share).as("share of %s", s).isCloseTo(s.share(), within(s == FinalState.DONE ? 0.03 : 0.015));
        }
    }

    @Test
    void cpuEfficiencyDependsOnTheActivity() {
        assertThat(meanEfficiency(Activity.MC)).isBetween(86.0, 94.0);
        assertThat(meanEfficiency(Activity.RECONSTRUCTION)).isBetween(75.0, 85.0);
        assertThat(meanEfficiency(Activity.ANALYSIS)).isBetween(40.0, 60.0);
        List<Double> analysis = completed(Activity.ANALYSIS).map(SimulatedJob::cpuEfficiencyPercent).toList();
        assertThat(analysis.stream().filter(e -> e >= 25 && e <= 75).count())
                .isGreaterThan((long) (analysis.size() * 0.95));
    }

    @Test
    void memoryIsInKilobytesPerCoreWithAFewHogs() {
        List<Long> rssPerCore = jobs.stream().filter(j -> j.state() == FinalState.DONE)
                .map(j -> j.maxRssKb() / j.cores()).sorted().toList();
        long median = rssPerCore.get(rssPerCore.size() / 2);
        assertThat(median).as("median kB per core").isBetween(1_000_000L, 2_500_000L);
        assertThat(rssPerCore.get(rssPerCore.size() - 1)).as("largest kB per core").isGreaterThan(4_000_000L);
    }

    @Test
    void jdlTextYieldsTheDerivedColumns() {
        for (SimulatedJob j : jobs.subList(0, 500)) {
            Map<String, List<String>> jdl = JdlParser.parse((String) JobRecords.jdl(j).get("jdl_text"));
            DatasetDescriptor d = CATALOG.get("jdl");
            Map<String, Object> derived = d.derivedFields().stream().collect(Collectors.toMap(FieldSpec::name,
                    f -> JdlParser.derive(f, jdl)));
            assertThat(derived).containsEntry("user_name", j.user())
                    .containsEntry("ttl", (long) j.ttlSeconds())
                    .containsEntry("price", j.price())
                    .containsEntry("memory_mb", j.memoryRequestGb() * 1024L)
                    .containsEntry("cpu_cores", j.cores())
                    .containsEntry("activity", j.activity().jdlName())
                    .containsEntry("pwg", j.pwg())
                    .containsEntry("output_dir", j.outputDir())
                    .containsEntry("lpm_production_tag", j.productionTag())
                    .containsEntry("lpm_run_number", j.runNumber());
        }
    }

    @Test
    void biggerSitesRunMoreJobs() {
        Map<String, Long> bySite = jobs.stream().collect(Collectors.groupingBy(j -> j.site().name(),
                Collectors.counting()));
        assertThat(bySite.get("CERN")).isGreaterThan(bySite.get("FZK")).isGreaterThan(bySite.get("Grenoble"));
        assertThat(bySite).hasSizeGreaterThan(40);
    }

    private double meanEfficiency(Activity a) {
        return completed(a).mapToDouble(SimulatedJob::cpuEfficiencyPercent).average().orElseThrow();
    }

    private java.util.stream.Stream<SimulatedJob> completed(Activity a) {
        return jobs.stream().filter(j -> j.activity() == a && j.state() == FinalState.DONE);
    }
}

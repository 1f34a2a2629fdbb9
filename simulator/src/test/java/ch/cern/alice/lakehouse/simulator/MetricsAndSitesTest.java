package ch.cern.alice.lakehouse.simulator;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.record.RecordValidator;
import ch.cern.alice.lakehouse.simulator.grid.AliceSites;
import ch.cern.alice.lakehouse.simulator.grid.Site;
import ch.cern.alice.lakehouse.simulator.metrics.MetricsSimulator;
import ch.cern.alice.lakehouse.simulator.send.SiteKeys;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsAndSitesTest {

    @Test
    void siteListHoldsTheRealAliceSites() {
        assertThat(AliceSites.ALL).hasSizeGreaterThanOrEqualTo(40);
        assertThat(AliceSites.ALL.stream().map(Site::name)).doesNotHaveDuplicates().contains("CERN", "FZK", "CNAF",
                "CCIN2P3", "GSI", "KISTI_GSDC", "NDGF", "RAL", "SARA", "Torino", "Cyfronet", "Bari", "Catania",
                "Legnaro", "Prague", "Subatech", "Grenoble", "IHEP", "Kolkata", "Hiroshima", "Tsukuba", "ORNL", "LBL",
                "UPB", "ISS", "NIHAM", "Birmingham", "Clermont", "Strasbourg_IRES", "Trieste");
    }

    @Test
    void sitesCanBeSelectedByCountOrName() {
        assertThat(AliceSites.select("3").stream().map(Site::name)).containsExactly("CERN", "FZK", "CNAF");
        assertThat(AliceSites.select("gsi, Torino").stream().map(Site::name)).containsExactly("GSI", "Torino");
        assertThat(AliceSites.select("all")).isEqualTo(AliceSites.ALL);
        assertThatThrownBy(() -> AliceSites.select("CERN,Atlantis")).hasMessageContaining("unknown site 'Atlantis'");
    }

    @Test
    void metricsValidateAndFormOneSeriesPerSiteAndParameter() {
        DatasetDescriptor metrics = DatasetCatalog.builtIn().get("metrics");
        MetricsSimulator sim = new MetricsSimulator(AliceSites.ALL, 7);
        long t0 = 1_767_225_600_000L;
        Set<String> keys = new HashSet<>();
        double running = 0;
        for (int tick = 0; tick < 3; tick++) {
            List<MetricsSimulator.SiteMetric> batch = sim.tick(t0 + tick * 60_000L);
            assertThat(batch).hasSize(AliceSites.ALL.size() * MetricsSimulator.PARAMETERS.size());
            for (MetricsSimulator.SiteMetric m : batch) {
                Map<String, Object> r = m.record();
                var v = RecordValidator.validate(metrics, r, m.site().name());
                assertThat(v.errors()).isEmpty();
                assertThat(keys.add(v.key())).as("dedup key %s is unique", v.key()).isTrue();
                assertThat(r.get("farm")).isEqualTo(m.site().name());
                assertThat((Double) r.get("value")).isGreaterThanOrEqualTo(0.0);
                if (tick == 0 && r.get("parameter").equals("running_jobs")) {
                    running += (Double) r.get("value");
                }
                if (r.get("parameter").equals("cpu_usage")) {
                    assertThat((Double) r.get("value")).isBetween(0.0, 100.0);
                }
            }
        }
        // the whole grid runs ~150k jobs at once
        assertThat(running).isCloseTo(MetricsSimulator.GRID_RUNNING_JOBS, within(20_000.0));
    }

    @Test
    void siteKeysFollowThePatternUnlessGivenExplicitly() {
        SiteKeys keys = new SiteKeys("CERN=secret-cern", null);
        Site cern = AliceSites.select("CERN").get(0);
        Site gsi = AliceSites.select("GSI").get(0);
        assertThat(keys.keyOf(cern)).isEqualTo("secret-cern");
        assertThat(keys.keyOf(gsi)).isEqualTo("demo-GSI-key");
        assertThat(keys.collectorSiteKeys(List.of(cern, gsi)))
                .isEqualTo("CERN:{plain}secret-cern:*;GSI:{plain}demo-GSI-key:*");
        assertThatThrownBy(() -> new SiteKeys("CERN", null)).hasMessageContaining("SITE=key");
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--rate", "fast"}, Map.of()))
                .hasMessageContaining("--rate must be a number");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--datasets", "trace,nope"}, Map.of()))
                .hasMessageContaining("unknown dataset 'nope'");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--duration", "0"}, Map.of()))
                .hasMessageContaining("never stop");
        SimulatorOptions o = SimulatorOptions.parse(new String[] {"--jobs=10", "--threads", "3"},
                Map.of("LAKEHOUSE_COLLECTOR_URL", "http://collector:8081", "SIMULATOR_RATE", "7"));
        assertThat(o.maxJobs()).isEqualTo(10);
        assertThat(o.threads()).isEqualTo(3);
        assertThat(o.jobsPerSecond()).isEqualTo(7);
        assertThat(o.collector().toString()).isEqualTo("http://collector:8081");
    }
}

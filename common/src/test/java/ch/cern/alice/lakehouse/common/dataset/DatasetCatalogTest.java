package ch.cern.alice.lakehouse.common.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetCatalogTest {

    private final DatasetCatalog catalog = DatasetCatalog.builtIn();

    @Test
    void loadsTheFourBuiltInDatasets() {
        assertThat(catalog.names()).containsExactly("trace", "job_info", "jdl", "metrics");
        assertThat(catalog.topics()).contains("lakehouse.trace", "lakehouse.metrics");
    }

    @Test
    void traceDescriptorMatchesTheDesign() {
        DatasetDescriptor trace = catalog.get("trace");
        assertThat(trace.keyFields()).containsExactly("job_id");
        assertThat(trace.timeField()).isEqualTo("finaltimestamp");
        assertThat(trace.timeFieldSpec().type()).isEqualTo(FieldType.EPOCH_MS);
        assertThat(trace.partitionColumns()).containsExactly("year", "month");
        assertThat(trace.field("maxrss")).get().extracting(FieldSpec::type).isEqualTo(FieldType.BIGINT);
        assertThat(trace.fields()).hasSize(18);
    }

    @Test
    void metricsHasACompositeKey() {
        DatasetDescriptor metrics = catalog.get("metrics");
        String key = metrics.dedupKey("CERN", Map.of("farm", "CERN", "cluster", "ALICE_CE", "node", "n1",
                "parameter", "load1", "timestamp", 1_700_000_000_000L));
        assertThat(key).isEqualTo("CERN|CERN|ALICE_CE|n1|load1|1700000000000");
    }

    @Test
    void keyPartsHoldingTheSeparatorDoNotCollide() {
        DatasetDescriptor metrics = catalog.get("metrics");
        Map<String, Object> a = Map.of("farm", "a|b", "cluster", "c", "node", "n", "parameter", "p", "timestamp", 1L);
        Map<String, Object> b = Map.of("farm", "a", "cluster", "b|c", "node", "n", "parameter", "p", "timestamp", 1L);
        assertThat(metrics.dedupKey("S", a)).isEqualTo("S|a\\|b|c|n|p|1").isNotEqualTo(metrics.dedupKey("S", b));
        assertThat(metrics.dedupKey("S|x", Map.of("farm", "f", "cluster", "c", "node", "n", "parameter", "p",
                "timestamp", 1L))).startsWith("S\\|x|");
    }

    @Test
    void traceAndJobInfoNameTheirSiteAndOrderingFields() {
        assertThat(catalog.get("trace").siteField()).contains("site");
        assertThat(catalog.get("trace").orderField()).contains("laststatuschangetimestamp");
        assertThat(catalog.get("job_info").orderField()).contains("state_change_timestamp");
        assertThat(catalog.get("jdl").siteField()).isEmpty();
        assertThat(catalog.get("metrics").orderField()).isEmpty();
    }

    @Test
    void jdlDerivedFieldsAreNotSentFields() {
        DatasetDescriptor jdl = catalog.get("jdl");
        assertThat(jdl.derivedFields()).extracting(FieldSpec::name).contains("memory_mb", "lpm_run_number");
        assertThat(jdl.sentFields()).extracting(FieldSpec::name).containsExactly("job_id", "submit_timestamp", "jdl_text");
    }

    @Test
    void unknownDatasetNamesTheKnownOnes() {
        assertThatThrownBy(() -> catalog.get("nope"))
                .hasMessageContaining("unknown dataset 'nope'").hasMessageContaining("trace");
        assertThat(catalog.byTopic("lakehouse.jdl")).get().extracting(DatasetDescriptor::name).isEqualTo("jdl");
        assertThat(catalog.byTopic("other")).isEmpty();
    }

    @Test
    void anExtraDescriptorFileAddsADataset(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("storage.dataset"), """
                dataset storage
                description SE usage
                key se timestamp
                time timestamp
                partition year month
                field se STRING required
                field used_bytes BIGINT
                field timestamp EPOCH_S required
                """);
        DatasetCatalog extended = DatasetCatalog.builtInPlus(dir);
        assertThat(extended.names()).contains("trace", "storage");
        assertThat(extended.get("storage").topic()).isEqualTo("lakehouse.storage");
    }

    @Test
    void badDescriptorsAreRejectedWithTheLine() {
        assertThatThrownBy(() -> DescriptorParser.parse("x.dataset", "dataset x\nfield a WEIRD required\n"))
                .hasMessageContaining("x.dataset:2").hasMessageContaining("unknown type WEIRD");
        assertThatThrownBy(() -> DescriptorParser.parse("y.dataset",
                "dataset y\nkey a\ntime t\nfield a BIGINT\nfield t EPOCH_S required\n"))
                .hasMessageContaining("key field a must be a required");
    }
}

package ch.cern.alice.lakehouse.etl.job;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A one-shot job's arguments pick the handler of the warm application's registry; no Spark is started. */
class EtlJobMainTest {

    private static final Map<String, String> ENV = Map.of("ETL_TABLE_ROOT", "/lake");
    private final RunHandler migrate = (spark, request, config, progress) -> Map.of();
    private final RunHandler optimize = (spark, request, config, progress) -> Map.of();
    private final RunHandlers handlers = RunHandlers.of(Map.of(RunHandlers.MIGRATE, migrate, "optimize", optimize));

    @Test
    void withoutAKindTheJobIsTheEtlRun() {
        EtlJobMain.OneShot run = EtlJobMain.oneShot(new String[]{"--dataset=trace", "--run-id=42", "--from=100",
                "--to=2000"}, ENV, handlers);

        assertThat(run.handler()).isSameAs(migrate);
        assertThat(run.config().fromId()).isEqualTo(100);
        assertThat(run.config().toId()).hasValue(2000);
        assertThat(run.request().runId()).isEqualTo("42");
        assertThat(run.request().dataset()).isEqualTo("trace");
        assertThat(RunHandlers.defaults().get(null)).isNotNull();
    }

    @Test
    void aKindPicksItsHandlerAndTheOtherArgumentsAreItsParams() {
        EtlJobMain.OneShot run = EtlJobMain.oneShot(new String[]{"--kind=optimize", "--dataset=trace", "--run-id=7",
                "--min-files=2", "--partitions=year=2024/month=6"}, ENV, handlers);

        assertThat(run.handler()).isSameAs(optimize);
        assertThat(run.request().kind()).isEqualTo("optimize");
        assertThat(run.request().params()).containsExactly(Map.entry("min-files", "2"),
                Map.entry("partitions", "year=2024/month=6"));
        // the same settings a warm request with these fields gets
        assertThat(run.config().tablePath(run.request().dataset())).isEqualTo("/lake/trace")
                .isEqualTo(run.request().jobConfig(ENV).tablePath("trace"));
    }

    @Test
    void anUnknownKindOrAMalformedArgumentIsAClearErrorBeforeSparkStarts() {
        assertThatThrownBy(() -> EtlJobMain.oneShot(new String[]{"--kind=shrink", "--dataset=trace", "--run-id=1"},
                ENV, RunHandlers.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown run kind 'shrink'").hasMessageContaining("optimize")
                .hasMessageContaining("vacuum");
        assertThatThrownBy(() -> EtlJobMain.oneShot(new String[]{"--kind=optimize", "--run-id=1"}, ENV, handlers))
                .hasMessageContaining("--dataset is required");
        assertThatThrownBy(() -> EtlJobMain.oneShot(new String[]{"--dataset=trace", "--run-id=1", "optimize"}, ENV,
                handlers)).hasMessageContaining("arguments are --name=value");
    }
}

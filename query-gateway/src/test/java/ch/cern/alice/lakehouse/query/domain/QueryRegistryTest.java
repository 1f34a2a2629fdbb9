package ch.cern.alice.lakehouse.query.domain;

import ch.cern.alice.lakehouse.query.config.QueryProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exports and queries share one per-user limit. */
class QueryRegistryTest {

    private final QueryRegistry registry = new QueryRegistry(new QueryProperties(100, 10, Duration.ofMinutes(1), 2,
            2, 2, 100, Duration.ofSeconds(1), 1000, null));

    private static QueryExecution query(String id, String user) {
        return new QueryExecution(id, new QueryRequest(user, "SELECT 1", "SELECT 1", null, null, false, null),
                "SELECT 1", 10);
    }

    @Test
    void aRunningExportTakesASlotOfItsUserUntilItEnds() throws Exception {
        registry.add(query("q1", "ann"), 2);
        AutoCloseable export = registry.startExport("ann", 2);
        assertThatThrownBy(() -> registry.add(query("q2", "ann"), 2)).isInstanceOf(TooManyQueriesException.class)
                .hasMessageContaining("1 queries queued or running and 1 exports running (limit 2");
        assertThatThrownBy(() -> registry.startExport("ann", 2)).isInstanceOf(TooManyQueriesException.class);
        AutoCloseable othersExport = registry.startExport("bob", 2);

        export.close();
        export.close(); // twice: still one slot given back
        registry.add(query("q2", "ann"), 2);
        assertThatThrownBy(() -> registry.startExport("ann", 2)).isInstanceOf(TooManyQueriesException.class);

        registry.find("q1").orElseThrow().finish(QueryStatus.FINISHED, null);
        registry.startExport("ann", 2).close();
        othersExport.close();
    }

    @Test
    void aQueryIsAReadUnlessSaidOtherwise() {
        assertThat(query("q", "ann").read()).isTrue();
        assertThat(new QueryExecution("w", query("q", "ann").request(), "INSERT INTO t VALUES 1", 10, null, false)
                .read()).isFalse();
    }
}

package ch.cern.alice.lakehouse.query.saved;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterBinderTest {

    private static final List<ParameterDefinition> DEFS = List.of(
            new ParameterDefinition("site", ParameterType.STRING, null, ""),
            new ParameterDefinition("n", ParameterType.BIGINT, "10", ""),
            new ParameterDefinition("day", ParameterType.DATE, "2026-01-01", ""),
            new ParameterDefinition("at", ParameterType.TIMESTAMP, "2026-01-01T00:00:00Z", ""));

    @Test
    void bindsTypedQuotedLiterals() {
        String sql = ParameterBinder.bind("SELECT * FROM t WHERE site = :site AND n > {{ n }} AND d = :day "
                + "AND ts < :at", DEFS, Map.of("site", "O'Brien"));
        assertThat(sql).isEqualTo("SELECT * FROM t WHERE site = 'O''Brien' AND n > 10 AND d = DATE '2026-01-01' "
                + "AND ts < TIMESTAMP '2026-01-01 00:00:00.000 UTC'");
    }

    @Test
    void leavesStringsCommentsAndCastsAlone() {
        String sql = ParameterBinder.bind("SELECT ':site', \":site\", x::int /* :site */ FROM t -- :site\n"
                + "WHERE s = :site", DEFS, Map.of("site", "CERN"));
        assertThat(sql).isEqualTo("SELECT ':site', \":site\", x::int /* :site */ FROM t -- :site\n"
                + "WHERE s = 'CERN'");
    }

    @Test
    void refusesValuesThatDoNotFitTheirType() {
        assertThatThrownBy(() -> ParameterBinder.bind("SELECT :n", DEFS, Map.of("n", "1 OR 1=1")))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> ParameterBinder.bind("SELECT :day", DEFS, Map.of("day", "yesterday")))
                .hasMessageContaining("not a date");
    }

    @Test
    void reportsMissingAndUnknownParameters() {
        assertThatThrownBy(() -> ParameterBinder.bind("SELECT :site", DEFS, Map.of()))
                .hasMessageContaining("'site' is required");
        assertThatThrownBy(() -> ParameterBinder.bind("SELECT :site", DEFS, Map.of("site", "a", "zz", "1")))
                .hasMessageContaining("unknown parameter 'zz'");
        assertThatThrownBy(() -> ParameterBinder.bind("SELECT :nope", DEFS, Map.of()))
                .hasMessageContaining("'nope' has no parameter definition");
    }
}

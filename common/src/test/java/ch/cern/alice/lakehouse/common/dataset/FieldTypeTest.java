package ch.cern.alice.lakehouse.common.dataset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldTypeTest {

    @Test
    void keepsValuesAlreadyInCanonicalForm() {
        Long big = 4_000_000_000L;
        Integer cores = 1_000;
        Double efficiency = 87.5;
        Long finalTs = 1_767_225_600_000L;
        Long submitted = 1_767_225_600L;
        assertThat(FieldType.BIGINT.coerce(big)).isSameAs(big);
        assertThat(FieldType.INT.coerce(cores)).isSameAs(cores);
        assertThat(FieldType.DOUBLE.coerce(efficiency)).isSameAs(efficiency);
        assertThat(FieldType.BOOLEAN.coerce(Boolean.TRUE)).isSameAs(Boolean.TRUE);
        assertThat(FieldType.EPOCH_MS.coerce(finalTs)).isSameAs(finalTs);
        assertThat(FieldType.EPOCH_S.coerce(submitted)).isSameAs(submitted);
    }

    @Test
    void convertsOtherValuesToTheCanonicalType() {
        assertThat(FieldType.BIGINT.coerce(42)).isEqualTo(42L);
        assertThat(FieldType.INT.coerce(8L)).isEqualTo(8);
        assertThat(FieldType.INT.coerce("8")).isEqualTo(8);
        assertThat(FieldType.DOUBLE.coerce(80)).isEqualTo(80.0);
        assertThat(FieldType.BOOLEAN.coerce("TRUE")).isEqualTo(true);
        assertThat(FieldType.EPOCH_S.coerce(1_767_225_600)).isEqualTo(1_767_225_600L);
        assertThat(FieldType.STRING.coerce(17)).isEqualTo("17");
    }

    @Test
    void stillRefusesCanonicallyTypedValuesOutOfRange() {
        assertThatThrownBy(() -> FieldType.DOUBLE.coerce(Double.NaN))
                .hasMessage("expected a finite number, got NaN");
        assertThatThrownBy(() -> FieldType.EPOCH_MS.coerce(1_767_225_600L))
                .hasMessageContaining("looks like epoch seconds");
        assertThatThrownBy(() -> FieldType.EPOCH_S.coerce(1_767_225_600_000L))
                .hasMessageContaining("looks like epoch milliseconds");
        assertThatThrownBy(() -> FieldType.INT.coerce(8_000_000_000L))
                .hasMessage("integer out of 32-bit range: 8000000000");
    }
}

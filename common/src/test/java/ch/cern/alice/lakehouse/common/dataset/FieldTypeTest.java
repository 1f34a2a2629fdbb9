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

    /** Values at and around every type's edges, in each Java form a JSON reader gives. */
    static final java.util.List<Object> EDGE_VALUES = java.util.Arrays.asList(null, 0, -1, 1, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 2_147_483_648L, -2_147_483_649L, Long.MAX_VALUE, Long.MIN_VALUE, 0L,
            new java.math.BigInteger("9223372036854775808"), 1.0, 1.5, -0.0, 1e300, Double.NaN,
            Double.POSITIVE_INFINITY, new java.math.BigDecimal("2.0"), 946_684_800L, 946_684_799L, 4_102_444_800L,
            4_102_444_801L, 946_684_800_000L, 946_684_799_999L, 4_102_444_800_999L, 4_102_444_801_000L,
            946_684_800, "", " 17 ", "17", "1.5", "true", "FALSE", "yes", "NaN", "1e400", true, false,
            java.util.Map.of("a", 1), java.util.List.of(1));

    @Test
    void aCanonicalValueIsExactlyOneCoerceReturnsAsItIs() {
        for (FieldType type : FieldType.values()) {
            for (Object value : EDGE_VALUES) {
                Object coerced;
                try {
                    coerced = type.coerce(value);
                } catch (IllegalArgumentException e) {
                    assertThat(type.isCanonical(value)).as("%s %s refused by coerce", type, value).isFalse();
                    continue;
                }
                assertThat(type.isCanonical(coerced)).as("%s coerce(%s) is canonical", type, value).isTrue();
                if (type.isCanonical(value)) {
                    assertThat(coerced).as("%s %s", type, value).isSameAs(value);
                }
            }
        }
    }

    @Test
    void timestampRangesAreInclusiveAtBothEnds() {
        for (FieldType type : new FieldType[] {FieldType.EPOCH_MS, FieldType.EPOCH_S}) {
            assertThat(type.coerce(type.minEpochValue())).isEqualTo(type.minEpochValue());
            assertThat(type.coerce(type.maxEpochValue())).isEqualTo(type.maxEpochValue());
            assertThatThrownBy(() -> type.coerce(type.minEpochValue() - 1)).hasMessageContaining("between 2000");
            assertThatThrownBy(() -> type.coerce(type.maxEpochValue() + 1)).hasMessageContaining("between 2000");
        }
        assertThat(FieldType.EPOCH_MS.maxEpochValue()).isEqualTo(4_102_444_800_999L);
        assertThatThrownBy(FieldType.BIGINT::minEpochValue).isInstanceOf(IllegalStateException.class);
    }
}

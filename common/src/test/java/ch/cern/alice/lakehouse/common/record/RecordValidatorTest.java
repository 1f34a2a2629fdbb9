package ch.cern.alice.lakehouse.common.record;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordValidatorTest {

    private final DatasetDescriptor trace = DatasetCatalog.builtIn().get("trace");

    private static Map<String, Object> validTrace() {
        Map<String, Object> r = new HashMap<>();
        r.put("job_id", 3_100_200_300L);
        r.put("finaltimestamp", 1_717_000_000_000L);
        r.put("cputime", 3600);
        r.put("walltime", 4000);
        r.put("site", "CERN");
        r.put("requestedcpus", "8");
        return r;
    }

    @Test
    void validRecordIsNormalizedAndKeyed() {
        ValidationResult result = RecordValidator.validate(trace, validTrace(), "CERN");
        assertThat(result.isValid()).isTrue();
        assertThat(result.key()).isEqualTo("CERN|3100200300");
        assertThat(result.payload()).containsEntry("cputime", 3600.0).containsEntry("requestedcpus", 8)
                .containsEntry("walltime", 4000).containsEntry("job_id", 3_100_200_300L);
    }

    @Test
    void allProblemsOfARecordAreReported() {
        Map<String, Object> r = validTrace();
        r.remove("job_id");
        r.put("walltime", "long");
        r.put("finaltimestamp", 1_717_000_000L);
        r.put("colour", "blue");
        ValidationResult result = RecordValidator.validate(trace, r, "CERN");
        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("job_id", "walltime", "finaltimestamp", "colour");
        assertThat(result.errors()).anySatisfy(e -> assertThat(e.message()).contains("looks like epoch seconds"));
        assertThat(result.errors()).anySatisfy(e -> assertThat(e.message()).isEqualTo("is required"));
    }

    @Test
    void explicitNullOfARequiredFieldIsRefused() {
        Map<String, Object> r = validTrace();
        r.put("job_id", null);
        assertThat(RecordValidator.validate(trace, r, "CERN").errors())
                .containsExactly(new FieldError("job_id", "must not be null"));
    }

    @Test
    void nonObjectsAreRefused() {
        assertThat(RecordValidator.validate(trace, List.of(1, 2), "CERN").errors().get(0).message())
                .contains("must be a JSON object, got an array");
        assertThat(RecordValidator.validate(trace, null, "CERN").isValid()).isFalse();
    }

    @Test
    void fractionalValueForAnIntegerIsRefused() {
        Map<String, Object> r = validTrace();
        r.put("maxrss", 12.5);
        assertThat(RecordValidator.validate(trace, r, "CERN").errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("expected an integer"));
    }

    @Test
    void aRecordNamingAnotherSiteIsRefusedAndAnAbsentSiteIsFilledFromTheKey() {
        Map<String, Object> r = validTrace();
        r.put("site", "GSI");
        assertThat(RecordValidator.validate(trace, r, "CERN").errors()).singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("site");
                    assertThat(e.message()).contains("'CERN'").contains("'GSI'");
                });
        r.remove("site");
        ValidationResult filled = RecordValidator.validate(trace, r, "CERN");
        assertThat(filled.payload()).containsEntry("site", "CERN");
        assertThat(filled.key()).isEqualTo("CERN|3100200300");
    }

    @Test
    void theSameJobOfTwoSitesHasTwoKeys() {
        Map<String, Object> r = validTrace();
        r.remove("site");
        assertThat(RecordValidator.validate(trace, r, "FZK").key())
                .isNotEqualTo(RecordValidator.validate(trace, r, "CERN").key());
    }
}

package ch.cern.alice.lakehouse.common.staging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StagingLayoutTest {

    @Test
    void aDatasetHasItsOwnPartitionOfStagingRecords() {
        assertThat(StagingLayout.partitionName("job_info")).isEqualTo("records_job_info");
        assertThat(StagingLayout.partition("trace")).isEqualTo("staging.records_trace");
        assertThat(StagingLayout.DEFAULT_PARTITION).isEqualTo("staging.records_default");
        assertThat(StagingLayout.ID_SEQUENCE).isEqualTo("staging.records_id_seq");
    }

    @Test
    void theClaimLocksThePartitionThenReadsItsHighestId() {
        assertThat(StagingLayout.claimLockSql("trace")).isEqualTo("LOCK TABLE staging.records_trace IN SHARE MODE");
        assertThat(StagingLayout.claimMaxIdSql("trace"))
                .isEqualTo("SELECT coalesce(max(id), 0) FROM staging.records_trace");
    }

    @Test
    void namesThatAreNotSafeIdentifiersOrTooLongAreRefused() {
        for (String bad : new String[] {"Trace", "1trace", "trace; DROP TABLE x", "tr-ace", "", null}) {
            assertThatThrownBy(() -> StagingLayout.partition(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad dataset name");
        }
        assertThat(StagingLayout.partitionName("a".repeat(55))).hasSize(63);
        assertThatThrownBy(() -> StagingLayout.partitionName("a".repeat(56)))
                .hasMessageContaining("too long for a staging partition (55 characters at most)");
    }
}

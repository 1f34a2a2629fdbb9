package ch.cern.alice.lakehouse.common.lake;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LakeLayoutTest {

    @Test
    void branchSchemasAreLowerCaseIdentifiers() {
        assertThat(LakeLayout.branchSchema("Alice-Work.2")).isEqualTo("branch_alice_work_2");
        assertThat(LakeLayout.branchSchema("exp-1")).isEqualTo(LakeLayout.branchSchema("exp_1"));
        assertThat(LakeLayout.isBranchSchema("branch_exp_1")).isTrue();
        assertThat(LakeLayout.isBranchSchema("lakehouse")).isFalse();
    }

    @Test
    void branchTablesLiveInTheirSchemaDirectory() {
        assertThat(LakeLayout.tablePath("trace")).isEqualTo("trace");
        assertThat(LakeLayout.tablePath("branch_exp_1.eff")).isEqualTo("branch_exp_1/eff");
    }
}

package ch.cern.alice.lakehouse.query.branch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BranchWriteLocksTest {

    private final BranchWriteLocks locks = new BranchWriteLocks();

    @Test
    void aSecondWriteOnTheSameBranchIsRefusedUntilTheFirstEnds() {
        Runnable first = locks.lock("branch_exp_1", "exp-1", "q1");
        assertThatThrownBy(() -> locks.lock("branch_exp_1", "exp-1", "q2"))
                .isInstanceOf(BranchWriteConflictException.class).hasMessageContaining("query q1");
        Runnable otherBranch = locks.lock("branch_exp_2", "exp-2", "q3");
        first.run();
        Runnable second = locks.lock("branch_exp_1", "exp-1", "q2");
        first.run(); // a late second release of q1 must not free q2's lock
        assertThatThrownBy(() -> locks.lock("branch_exp_1", "exp-1", "q4"))
                .hasMessageContaining("query q2");
        second.run();
        otherBranch.run();
        assertThat(locks.lock("branch_exp_1", "exp-1", "q5")).isNotNull();
    }
}

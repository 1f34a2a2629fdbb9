package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.Optional;

/** The reflog: every head a branch had and since when ("main as of time T"). */
public interface BranchMoveRepository extends JpaRepository<BranchMoveEntity, Long> {

    /** Where the branch pointed at the given time: its last move at or before it (index branch_moves_by_time). */
    Optional<BranchMoveEntity> findFirstByBranchAndMovedAtLessThanEqualOrderByMovedAtDescIdDesc(String branch,
                                                                                                Instant at);

    @Transactional
    @Modifying
    @Query("delete from BranchMoveEntity m where m.branch = :branch")
    int deleteByBranch(String branch);
}

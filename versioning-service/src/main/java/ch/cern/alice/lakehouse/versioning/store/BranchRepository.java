package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** Branches (name -> head commit); filtered pages and the row lock in {@link BranchQueries}. */
public interface BranchRepository extends JpaRepository<BranchEntity, String>, BranchQueries {

    @Query("select b.name from BranchEntity b order by b.name")
    List<String> findAllNames();

    /** @return 1 when the branch existed (its reflog goes with it: {@link BranchMoveRepository#deleteByBranch}) */
    @Transactional
    @Modifying
    @Query("delete from BranchEntity b where b.name = :name")
    int deleteByName(String name);
}

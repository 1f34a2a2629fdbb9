package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** Tags: immutable pointers to commits (inserted once, never updated). */
public interface TagRepository extends JpaRepository<TagEntity, String> {

    /** @return 1 when the tag existed */
    @Transactional
    @Modifying
    @Query("delete from TagEntity t where t.name = :name")
    int deleteByName(String name);
}

package ch.cern.alice.lakehouse.query.saved;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** {@code query.saved_query}. */
public interface SavedQueryRepository extends JpaRepository<SavedQueryRow, Long> {

    List<SavedQueryRow> findAllByOrderByNameAsc();

    /** @return the rows deleted (0 or 1) */
    @Modifying
    @Transactional
    @Query("delete from SavedQueryRow q where q.id = :id")
    int deleteOne(@Param("id") long id);
}

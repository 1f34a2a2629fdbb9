package ch.cern.alice.lakehouse.query.history;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * {@code query.query_history}. A query's row is written in steps by different threads (accepted, reached Trino,
 * ended, protocol extras): each step updates only its own columns, so no step overwrites another's.
 */
public interface QueryHistoryRepository extends JpaRepository<HistoryRow, String> {

    /** One page of the user's rows, in the page's order (no count query). */
    List<HistoryRow> findByUsername(String username, Pageable page);

    long countByUsername(String username);

    List<HistoryRow> findByStatusIn(Collection<String> statuses);

    @Modifying
    @Transactional
    @Query("update HistoryRow h set h.status = 'RUNNING', h.trinoQueryId = :trinoQueryId "
            + "where h.id = :id and h.status = 'QUEUED'")
    int markRunning(@Param("id") String id, @Param("trinoQueryId") String trinoQueryId);

    @Modifying
    @Transactional
    @Query("update HistoryRow h set h.status = :status, h.trinoQueryId = :trinoQueryId, h.rowCount = :rowCount, "
            + "h.truncated = :truncated, h.error = :error, h.finishedAt = :finishedAt, h.durationMs = :durationMs, "
            + "h.commitId = :commitId where h.id = :id")
    int markFinished(@Param("id") String id, @Param("status") String status,
                     @Param("trinoQueryId") String trinoQueryId, @Param("rowCount") Long rowCount,
                     @Param("truncated") boolean truncated, @Param("error") String error,
                     @Param("finishedAt") Instant finishedAt, @Param("durationMs") Long durationMs,
                     @Param("commitId") String commitId);

    @Modifying
    @Transactional
    @Query("update HistoryRow h set h.client = :client where h.id = :id")
    int setClient(@Param("id") String id, @Param("client") String client);

    @Modifying
    @Transactional
    @Query("update HistoryRow h set h.rowCount = :rowCount where h.id = :id")
    int setRowCount(@Param("id") String id, @Param("rowCount") long rowCount);
}

package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

/** Commits by id; history walks in native SQL (recursive CTEs) here and in {@link CommitGraph}. */
public interface CommitRepository extends JpaRepository<CommitEntity, String>, CommitGraph {

    /** Commits whose id starts with the hex prefix (at most {@code limit}); a range scan on the primary key. */
    default List<String> idsWithPrefix(String prefix, int limit) {
        return idsInRange(prefix, prefix + "g", limit);
    }

    @Query(value = "SELECT id FROM versioning.commits WHERE id >= :from AND id < :to ORDER BY id LIMIT :limit",
            nativeQuery = true)
    List<String> idsInRange(String from, String to, int limit);

    @Query("select c.id from CommitEntity c where c.etlRunId = :runId")
    Optional<String> findIdByEtlRunId(String runId);

    /**
     * One page of first-parent history from {@code head} (like {@code git log --first-parent}). The recursion stops
     * at depth {@code depth} (offset + limit), so a page near the head reads only that many rows by primary key.
     */
    @Query(value = "WITH RECURSIVE chain AS ("
            + " SELECT c.*, 0 AS depth FROM versioning.commits c WHERE c.id = :head"
            + " UNION ALL"
            + " SELECT c.*, chain.depth + 1 FROM versioning.commits c JOIN chain ON c.id = chain.parent1"
            + "   WHERE chain.depth + 1 < :depth"
            + ") SELECT id, parent1, parent2, generation, author, message, created_at, properties, tables, changed,"
            + " etl_run_id FROM chain ORDER BY depth LIMIT :limit OFFSET :offset", nativeQuery = true)
    List<CommitEntity> firstParentLog(String head, int depth, int limit, int offset);
}

package ch.cern.alice.lakehouse.versioning.store;

import java.util.List;
import java.util.Optional;

/** The branch queries Spring Data cannot derive: the row lock and the filtered, offset-paged search. */
public interface BranchQueries {

    /**
     * Row lock held until the transaction ends, re-reading the row: concurrent head updates of one branch are
     * serialized and the caller sees the head the previous holder left (never a copy read before the lock).
     */
    Optional<BranchEntity> lock(String name);

    /**
     * A filtered page of branches: {@code query} a case-insensitive substring of the name, {@code prefix} a name
     * prefix, {@code owner} the creator (each null for any); by name, or by last update (newest first).
     */
    List<BranchEntity> search(String query, String prefix, String owner, boolean byUpdate, int offset, int limit);

    long count(String query, String prefix, String owner);
}

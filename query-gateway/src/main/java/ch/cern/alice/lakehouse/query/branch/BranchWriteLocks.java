package ch.cern.alice.lakehouse.query.branch;

import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One write at a time per branch schema in this gateway: from the check of the branch head until the commit that
 * pins the write. A second write meanwhile is refused (409) rather than queued: it was planned against a head that
 * is about to move. Across gateway processes the commit's {@code expectedHead} catches the same race.
 */
@Component
public class BranchWriteLocks {

    private final ConcurrentMap<String, String> writerBySchema = new ConcurrentHashMap<>();

    /** @return releases the lock; idempotent */
    public Runnable lock(String schema, String branch, String queryId) {
        String running = writerBySchema.putIfAbsent(schema, queryId);
        if (running != null) {
            throw new BranchWriteConflictException("another write on branch '" + branch + "' is running (query "
                    + running + "): wait until it finished and send this statement again");
        }
        return () -> writerBySchema.remove(schema, queryId);
    }
}

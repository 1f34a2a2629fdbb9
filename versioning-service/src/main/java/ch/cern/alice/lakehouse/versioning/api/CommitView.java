package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.domain.Commit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public record CommitView(String id, String shortId, List<String> parents, String author, String message, Instant time,
                         Map<String, Object> properties, Map<String, Long> tables, Map<String, Long> changed) {

    static CommitView of(Commit commit) {
        return new CommitView(commit.id(), commit.shortId(), commit.parents(), commit.author(), commit.message(),
                commit.time(), commit.properties(), commit.tables(), commit.changed());
    }
}

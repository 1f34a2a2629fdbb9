package ch.cern.alice.lakehouse.query.history;

import java.time.Instant;

public record HistoryEntry(String id, String user, String sql, String ref, String executedSql, String status,
                           Long savedQueryId, String trinoQueryId, Long rowCount, boolean truncated, String error,
                           Instant createdAt, Instant finishedAt, Long durationMs,
                           String commitId) {
}

package ch.cern.alice.lakehouse.ingest.deadletter;

import java.time.Instant;

/**
 * One row of {@code ingest.dead_letters}. In list results {@code envelope} and {@code lastReplayEnvelope} are null
 * (only their size is read); {@link DeadLetterStore#find} fills them.
 */
public record StoredDeadLetter(long id, String dataset, String site, String topic, int partition, long offset,
                               Instant kafkaTimestamp, byte[] recordKey, byte[] envelope, long envelopeBytes,
                               String reason, Long replayOf, Instant firstSeen, DeadLetterStatus status,
                               int timesReplayed, Instant lastReplayedAt, String lastReplayedBy,
                               Integer lastReplayPartition, Long lastReplayOffset, byte[] lastReplayEnvelope,
                               Instant discardedAt, String discardedBy, String discardNote) {
}

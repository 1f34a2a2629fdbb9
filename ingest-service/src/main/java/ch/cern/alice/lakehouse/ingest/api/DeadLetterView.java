package ch.cern.alice.lakehouse.ingest.api;

import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterStatus;
import ch.cern.alice.lakehouse.ingest.deadletter.StoredDeadLetter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** JSON views of the dead-letter API ({@code /api/v1/ingest/dead-letters}). */
public final class DeadLetterView {

    private DeadLetterView() {
    }

    /**
     * One line of the list.
     *
     * @param key           the Kafka record key as text (the dedup key the collector set)
     * @param envelopeBytes size of the original Kafka value
     */
    public record Summary(long id, String dataset, String site, String key, String topic, int partition, long offset,
                          String reason, Instant firstSeen, DeadLetterStatus status, int timesReplayed,
                          Instant lastReplayedAt, Instant discardedAt, long envelopeBytes, Long replayOf) {

        static Summary of(StoredDeadLetter l) {
            return new Summary(l.id(), l.dataset(), l.site(), text(l.recordKey()), l.topic(), l.partition(),
                    l.offset(), l.reason(), l.firstSeen(), l.status(), l.timesReplayed(), l.lastReplayedAt(),
                    l.discardedAt(), l.envelopeBytes(), l.replayOf());
        }
    }

    public record Page(int page, int size, long total, List<Summary> deadLetters) {
    }

    /**
     * One letter with everything kept about it.
     *
     * @param envelope        the original Kafka value as UTF-8 text (bytes that are no UTF-8 shown as U+FFFD)
     * @param envelopeUtf8    whether the value is valid UTF-8 (else {@code envelopeBase64} has the exact bytes)
     * @param envelopeBase64  the exact bytes, only when they are no valid UTF-8
     * @param kafkaTimestamp  the record's Kafka timestamp (when the collector produced it)
     * @param replayOf        the letter whose replay produced this record, if it was one
     * @param lastReplay      where the last replay was published and by whom (null before the first)
     * @param discarded       who discarded it, when and why (null unless discarded)
     */
    public record Detail(long id, String dataset, String site, String key, String topic, int partition, long offset,
                         Instant kafkaTimestamp, String reason, Instant firstSeen, DeadLetterStatus status,
                         int timesReplayed, String envelope, boolean envelopeUtf8, String envelopeBase64,
                         long envelopeBytes, Long replayOf, Replay lastReplay, Discard discarded) {

        static Detail of(StoredDeadLetter l) {
            byte[] bytes = l.envelope() == null ? new byte[0] : l.envelope();
            boolean utf8 = isUtf8(bytes);
            Replay replay = l.lastReplayedAt() == null ? null : new Replay(l.lastReplayedAt(), l.lastReplayedBy(),
                    l.topic(), l.lastReplayPartition(),
                    l.lastReplayOffset(), text(l.lastReplayEnvelope()));
            Discard discard = l.discardedAt() == null ? null
                    : new Discard(l.discardedAt(), l.discardedBy(), l.discardNote());
            return new Detail(l.id(), l.dataset(), l.site(), text(l.recordKey()), l.topic(), l.partition(),
                    l.offset(), l.kafkaTimestamp(), l.reason(), l.firstSeen(), l.status(), l.timesReplayed(),
                    new String(bytes, StandardCharsets.UTF_8), utf8,
                    utf8 ? null : Base64.getEncoder().encodeToString(bytes), l.envelopeBytes(), l.replayOf(),
                    replay, discard);
        }
    }

    /**
     * @param topic    replays go to the topic the letter was consumed from: its dataset's topic
     * @param envelope the envelope that was published
     */
    public record Replay(Instant at, String by, String topic, Integer partition, Long offset, String envelope) {
    }

    public record Discard(Instant at, String by, String note) {
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

package ch.cern.alice.lakehouse.ingest.deadletter;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * PENDING: waits for an admin (never expires). REPLAYED: re-published to its dataset's topic (may be replayed
 * again). DISCARDED: dropped by an admin, kept for audit until the retention purges it.
 */
public enum DeadLetterStatus {
    PENDING, REPLAYED, DISCARDED;

    public static DeadLetterStatus parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dead-letter status '" + text + "' (one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
        }
    }
}

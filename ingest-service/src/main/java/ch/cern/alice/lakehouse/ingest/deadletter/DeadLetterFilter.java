package ch.cern.alice.lakehouse.ingest.deadletter;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which dead letters a list shows; null or blank criteria match everything.
 *
 * @param dataset        exact dataset name
 * @param site           the envelope's site, case-insensitive
 * @param reasonContains part of the reason, case-insensitive
 * @param statuses       statuses shown; empty means the default, everything but DISCARDED
 */
public record DeadLetterFilter(String dataset, String site, String reasonContains, Set<DeadLetterStatus> statuses) {

    public static final Set<DeadLetterStatus> DEFAULT_STATUSES =
            EnumSet.of(DeadLetterStatus.PENDING, DeadLetterStatus.REPLAYED);

    public DeadLetterFilter {
        dataset = blankToNull(dataset);
        site = blankToNull(site);
        reasonContains = blankToNull(reasonContains);
        statuses = statuses == null || statuses.isEmpty() ? DEFAULT_STATUSES : EnumSet.copyOf(statuses);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

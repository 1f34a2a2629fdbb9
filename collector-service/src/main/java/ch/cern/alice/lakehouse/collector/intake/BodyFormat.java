package ch.cern.alice.lakehouse.collector.intake;

import java.util.Locale;
import java.util.Optional;

/** How the records of a request body are laid out. */
public enum BodyFormat {
    /** {@code application/json}: one JSON array of record objects. */
    JSON_ARRAY,
    /** {@code application/x-ndjson}: one JSON record object per line. */
    NDJSON;

    public static Optional<BodyFormat> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (mediaType) {
            case "application/json" -> Optional.of(JSON_ARRAY);
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-seq" ->
                    Optional.of(NDJSON);
            default -> Optional.empty();
        };
    }
}

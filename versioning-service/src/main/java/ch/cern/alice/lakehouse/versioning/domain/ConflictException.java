package ch.cern.alice.lakehouse.versioning.domain;

import java.util.Map;

/** Answered with HTTP 409; {@code details} become extra members of the problem document. */
public class ConflictException extends RuntimeException {

    private final Map<String, Object> details;

    public ConflictException(String message) {
        this(message, Map.of());
    }

    public ConflictException(String message, Map<String, Object> details) {
        super(message);
        this.details = details;
    }

    public Map<String, Object> details() {
        return details;
    }
}

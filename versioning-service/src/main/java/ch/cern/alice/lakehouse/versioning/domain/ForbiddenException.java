package ch.cern.alice.lakehouse.versioning.domain;

/** Answered with HTTP 403 and this message as the problem detail. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}

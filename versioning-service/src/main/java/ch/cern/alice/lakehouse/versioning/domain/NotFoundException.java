package ch.cern.alice.lakehouse.versioning.domain;

/** Answered with HTTP 404 and this message as the problem detail. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}

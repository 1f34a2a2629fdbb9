package ch.cern.alice.lakehouse.versioning.domain;

/** Answered with HTTP 400 and this message as the problem detail. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}

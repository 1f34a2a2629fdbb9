package ch.cern.alice.lakehouse.collector.intake;

/** The request body (raw or decompressed) or its record count exceeds a configured limit: 413. */
public class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(String message) {
        super(message);
    }
}

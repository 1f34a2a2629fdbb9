package ch.cern.alice.lakehouse.collector.intake;

/** The body is not the JSON it claims to be; the message says where: 400. */
public class MalformedBodyException extends RuntimeException {

    public MalformedBodyException(String message) {
        super(message);
    }

    public MalformedBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}

package ch.cern.alice.lakehouse.ingest.consume;

/** The DLQ topic did not acknowledge every dead letter of a batch: the batch must not be committed. */
public class DeadLetterException extends Exception {

    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}

package ch.cern.alice.lakehouse.ingest.consume;

/**
 * The dead-letter store or the DLQ topic did not take every dead letter of a batch: the batch must not be
 * committed.
 */
public class DeadLetterException extends Exception {

    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}

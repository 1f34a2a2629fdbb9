package ch.cern.alice.lakehouse.ingest.staging;

/** The staging database could not take a batch (down, read-only, broken table...): retry later, never skip. */
public class StagingUnavailableException extends Exception {

    public StagingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

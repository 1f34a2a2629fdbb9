package ch.cern.alice.lakehouse.query.branch;

/** The caller may not write there (HTTP 403): nothing was written. */
public class WriteForbiddenException extends RuntimeException {

    public WriteForbiddenException(String message) {
        super(message);
    }
}

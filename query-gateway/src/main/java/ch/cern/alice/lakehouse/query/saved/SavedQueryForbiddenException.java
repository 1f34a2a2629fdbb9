package ch.cern.alice.lakehouse.query.saved;

/** The caller may read and run this saved query but not change it (HTTP 403): nothing was changed. */
public class SavedQueryForbiddenException extends RuntimeException {

    public SavedQueryForbiddenException(String message) {
        super(message);
    }
}

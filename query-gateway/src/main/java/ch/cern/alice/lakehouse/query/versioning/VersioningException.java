package ch.cern.alice.lakehouse.query.versioning;

/** versioning-service refused a call or could not be reached ({@code status} 0). */
public class VersioningException extends RuntimeException {

    private final int status;

    public VersioningException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

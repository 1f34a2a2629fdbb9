package ch.cern.alice.lakehouse.query.branch;

/**
 * The write clashes with the branch's state (HTTP 409): another write on the branch is running, the table exists
 * already, or its Delta table moved past the version the branch pins. Nothing was written.
 */
public class BranchWriteConflictException extends RuntimeException {

    public BranchWriteConflictException(String message) {
        super(message);
    }
}

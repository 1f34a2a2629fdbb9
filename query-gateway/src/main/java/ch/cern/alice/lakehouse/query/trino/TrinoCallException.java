package ch.cern.alice.lakehouse.query.trino;

import java.sql.SQLException;

/** A Trino call the gateway makes on its own (not the user's statement) failed: HTTP 502. */
public class TrinoCallException extends RuntimeException {

    public TrinoCallException(String what, SQLException cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}

package ch.cern.alice.lakehouse.query.sql;

/** The request's SQL, ref or parameters cannot be run; the message tells the client what was wrong (HTTP 400). */
public class InvalidQueryException extends RuntimeException {

    public InvalidQueryException(String message) {
        super(message);
    }
}

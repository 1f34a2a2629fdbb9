package ch.cern.alice.lakehouse.query.domain;

/** The user has too many queries in flight (429) or the gateway's queue is full (503). */
public class TooManyQueriesException extends RuntimeException {

    private final boolean gatewayFull;

    public TooManyQueriesException(String message, boolean gatewayFull) {
        super(message);
        this.gatewayFull = gatewayFull;
    }

    public boolean gatewayFull() {
        return gatewayFull;
    }
}

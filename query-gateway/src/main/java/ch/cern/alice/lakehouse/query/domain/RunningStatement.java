package ch.cern.alice.lakehouse.query.domain;

/** A statement running in Trino, as far as a user's cancel needs it. */
@FunctionalInterface
public interface RunningStatement {

    /** Ends the statement in Trino; the thread reading it then sees the cancel. */
    void cancel() throws Exception;
}

package ch.cern.alice.lakehouse.query.domain;

public enum QueryStatus {
    QUEUED, RUNNING, FINISHED, FAILED, CANCELLED;

    public boolean isDone() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }
}

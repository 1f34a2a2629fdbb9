package ch.cern.alice.lakehouse.etl.run;

public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }
}

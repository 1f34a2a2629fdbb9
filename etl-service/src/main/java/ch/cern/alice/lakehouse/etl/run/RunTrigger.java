package ch.cern.alice.lakehouse.etl.run;

public enum RunTrigger {
    API, SCHEDULE, THRESHOLD
}

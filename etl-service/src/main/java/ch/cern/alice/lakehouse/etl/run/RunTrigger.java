package ch.cern.alice.lakehouse.etl.run;

/**
 * What started a run: an admin over the API, the cron, the staged-rows threshold, or continuous mode (the dataset had
 * staged rows, its previous run had ended and the minimum interval had passed; issue #14).
 */
public enum RunTrigger {
    API, SCHEDULE, THRESHOLD, CONTINUOUS
}

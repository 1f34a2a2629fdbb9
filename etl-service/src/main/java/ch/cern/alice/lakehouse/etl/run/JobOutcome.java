package ch.cern.alice.lakehouse.etl.run;

/** The figures a successful Spark job reports in its ETL_RESULT line. */
public record JobOutcome(long rowsRead, long rowsWritten, long rowsRejected, long filesWritten, long deltaVersion) {

    public static final JobOutcome NOTHING = new JobOutcome(0, 0, 0, 0, -1);
}

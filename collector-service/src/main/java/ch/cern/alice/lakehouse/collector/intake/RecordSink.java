package ch.cern.alice.lakehouse.collector.intake;

/** Receives the records of a body one by one, as they are parsed. */
@FunctionalInterface
public interface RecordSink {

    /**
     * @param index  0-based position of the record in the body
     * @param record decoded JSON value: Map, List, String, Integer/Long/BigInteger, Double, Boolean or null
     */
    void accept(int index, Object record);
}

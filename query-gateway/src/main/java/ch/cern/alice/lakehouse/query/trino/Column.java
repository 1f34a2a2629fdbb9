package ch.cern.alice.lakehouse.query.trino;

/** A result column: name and Trino type (e.g. bigint, varchar, timestamp(3) with time zone). */
public record Column(String name, String type) {
}

package ch.cern.alice.lakehouse.query.testsupport;

/** A query that keeps Trino busy until it is cancelled or times out (10^12 rows, none of them matching). */
public final class EndlessQuery {

    public static final String SQL = """
            SELECT count(*) FROM unnest(sequence(1, 10000)) a(x)
            CROSS JOIN unnest(sequence(1, 10000)) b(y) CROSS JOIN unnest(sequence(1, 10000)) c(z)
            WHERE x + y + z < 0""";

    private EndlessQuery() {
    }
}

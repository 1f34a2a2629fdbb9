package ch.cern.alice.lakehouse.query.export;

/** The result has more rows than an export may hold ({@code QUERY_EXPORT_MAX_ROWS}): 422, nothing is sent. */
public class ExportTooLargeException extends RuntimeException {

    public ExportTooLargeException(long maxRows) {
        super("the result has more than " + maxRows + " rows, the most an export may hold (QUERY_EXPORT_MAX_ROWS): "
                + "narrow the query (WHERE, LIMIT, aggregation) and export that");
    }
}

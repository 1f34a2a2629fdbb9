package ch.cern.alice.lakehouse.query.export;

/**
 * The result has more rows than an export may hold ({@code QUERY_EXPORT_MAX_ROWS}), or rows too wide for the gateway
 * to pass through its memory: 422, nothing is sent.
 */
public class ExportTooLargeException extends RuntimeException {

    private ExportTooLargeException(String message) {
        super(message);
    }

    /** trino-jdbc reads ahead 100 rows at a time: rows of many megabytes each can exhaust the gateway's heap. */
    public static ExportTooLargeException tooWide() {
        return new ExportTooLargeException("the result's rows are too wide for the query gateway to pass through "
                + "its memory: select fewer or narrower columns (e.g. substr of long text) and export that");
    }

    public ExportTooLargeException(long maxRows) {
        super("the result has more than " + maxRows + " rows, the most an export may hold (QUERY_EXPORT_MAX_ROWS): "
                + "narrow the query (WHERE, LIMIT, aggregation) and export that");
    }
}

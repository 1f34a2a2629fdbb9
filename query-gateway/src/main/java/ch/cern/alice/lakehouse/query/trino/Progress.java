package ch.cern.alice.lakehouse.query.trino;

/** Trino's figures for a query while it runs; percent is null while Trino cannot tell yet. */
public record Progress(Double percent, long processedRows, long processedBytes, long elapsedMs) {

    public static final Progress NONE = new Progress(null, 0, 0, 0);
}

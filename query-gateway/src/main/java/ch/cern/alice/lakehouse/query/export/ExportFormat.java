package ch.cern.alice.lakehouse.query.export;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;

public enum ExportFormat {
    CSV("text/csv", "csv"), PARQUET("application/vnd.apache.parquet", "parquet");

    private final String contentType;
    private final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    public static ExportFormat parse(String text) {
        for (ExportFormat f : values()) {
            if (f.extension.equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw new InvalidQueryException("unknown export format '" + text + "': use csv or parquet");
    }
}

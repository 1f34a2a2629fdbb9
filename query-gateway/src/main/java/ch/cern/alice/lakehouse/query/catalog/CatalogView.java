package ch.cern.alice.lakehouse.query.catalog;

import java.util.List;

/**
 * {@code GET /api/v1/catalog}: rowCount is null when it could not be counted within the time limit. {@code ref} is the
 * version listed (null = the latest data): the tables that ref reads, with their row counts at it; the lake's schema
 * first (datasets, then summary tables), branch schemas only when the ref pins their tables.
 */
public record CatalogView(String catalog, String ref, List<Schema> schemas) {

    public record Schema(String name, List<Table> tables) {
    }

    public record Table(String name, Long rowCount, List<ColumnInfo> columns) {
    }

    public record ColumnInfo(String name, String type, boolean partitionKey) {
    }
}

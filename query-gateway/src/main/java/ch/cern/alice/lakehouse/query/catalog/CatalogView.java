package ch.cern.alice.lakehouse.query.catalog;

import java.util.List;

/** {@code GET /api/v1/catalog}: rowCount is null when it could not be counted within the time limit. */
public record CatalogView(String catalog, List<Schema> schemas) {

    public record Schema(String name, List<Table> tables) {
    }

    public record Table(String name, Long rowCount, List<ColumnInfo> columns) {
    }

    public record ColumnInfo(String name, String type, boolean partitionKey) {
    }
}

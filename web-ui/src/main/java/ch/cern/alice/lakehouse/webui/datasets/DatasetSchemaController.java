package ch.cern.alice.lakehouse.webui.datasets;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lake's tables as the dataset descriptors define them, in the shape of query-gateway's {@code GET
 * /api/v1/catalog}. The SPA falls back to it when the gateway is down or has no catalog yet, so the schema browser,
 * autocomplete and Explore still work (without row counts).
 */
@RestController
public class DatasetSchemaController {

    static final String CATALOG = "delta";
    static final String SCHEMA = "lakehouse";

    public record Column(String name, String type, boolean partitionKey, String description) {
    }

    public record Table(String name, String description, Long rowCount, List<Column> columns) {
    }

    public record Schema(String name, List<Table> tables) {
    }

    public record Catalog(String catalog, String source, List<Schema> schemas) {
    }

    private final DatasetCatalog datasets;

    /** The catalog bean of service-support's support.dataset auto-configuration. */
    public DatasetSchemaController(DatasetCatalog datasets) {
        this.datasets = datasets;
    }

    @GetMapping("/api/datasets")
    public Catalog datasets() {
        List<Table> tables = datasets.all().stream().map(DatasetSchemaController::table).toList();
        return new Catalog(CATALOG, "dataset-descriptors", List.of(new Schema(SCHEMA, tables)));
    }

    private static Table table(DatasetDescriptor d) {
        List<Column> columns = new ArrayList<>();
        for (FieldSpec f : d.fields()) {
            columns.add(new Column(f.name(), f.type().trinoType().toLowerCase(Locale.ROOT), false, f.description()));
        }
        // columns every Delta table gets from the ETL (docs/contracts.md, "Delta tables")
        columns.add(new Column("_site", "varchar", false, "site that sent the record"));
        columns.add(new Column("_received_at", "timestamp(3) with time zone", false, "when the collector got it"));
        columns.add(new Column("_etl_run_id", "bigint", false, "ETL run that wrote the row"));
        for (String p : d.partitionColumns()) {
            columns.add(new Column(p, "integer", true, p + " of " + d.timeField()));
        }
        return new Table(d.name(), d.description(), null, columns);
    }
}

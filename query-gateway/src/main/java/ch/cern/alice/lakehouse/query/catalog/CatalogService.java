package ch.cern.alice.lakehouse.query.catalog;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.query.config.QueryProperties;
import ch.cern.alice.lakehouse.query.ref.RefResolution;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import ch.cern.alice.lakehouse.query.trino.TrinoSql;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Array;
import io.trino.sql.tree.CreateTable;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.Property;
import io.trino.sql.tree.StringLiteral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Browses the lake's tables in Trino and registers new Delta tables of the bucket. */
@Service
public class CatalogService {

    private static final DateTimeFormatter TRINO_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

    private static final Logger log = LoggerFactory.getLogger(CatalogService.class);

    private final TrinoConnections connections;
    private final LakeTables lake;
    private final DatasetCatalog datasets;
    private final QueryProperties limits;
    private final RefResolution refs;

    public CatalogService(TrinoConnections connections, LakeTables lake, DatasetCatalog datasets,
                          QueryProperties limits, RefResolution refs) {
        this.refs = refs;
        this.connections = connections;
        this.lake = lake;
        this.datasets = datasets;
        this.limits = limits;
    }

    /**
     * Registers tables present on S3 but unknown to Trino, flushes the metadata cache for the others. Runs as the
     * gateway's own Trino principal (registering tables is catalog maintenance no user may do in Trino); who may ask
     * for it is decided by the caller.
     *
     * @param user who asked for the refresh (logged)
     */
    public synchronized RefreshResult refresh(String user) throws SQLException {
        Set<String> present = lake.presentTables();
        String schema = connections.schema();
        log.info("catalog refresh requested by {}", user);
        try (Connection c = connections.openAsGateway(limits.timeout()); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + connections.catalog() + "." + schema);
            Set<String> known = tablesInTrino(c);
            List<String> registered = new ArrayList<>();
            List<String> refreshed = new ArrayList<>();
            for (String table : present) {
                if (known.contains(table)) {
                    refreshed.add(table);
                    continue;
                }
                TrinoSql.registerDeltaTable(st, connections.catalog(), schema, table, lake.location(table));
                registered.add(table);
                log.info("registered Delta table {} at {}", table, lake.location(table));
            }
            st.execute("CALL " + connections.catalog() + ".system.flush_metadata_cache()");
            List<String> absent = datasets.names().stream().filter(n -> !present.contains(n)).toList();
            return new RefreshResult(registered, refreshed, absent);
        }
    }

    /**
     * The tables {@code ref} reads (null or blank: the latest data), with their row counts at that ref: the lake's
     * schema first (datasets in descriptor order, then the summary tables), then other schemas; a branch schema only
     * with a ref whose commit pins its tables (not at the latest data, nor at {@code v:}/{@code ts:} refs).
     *
     * @throws ch.cern.alice.lakehouse.query.sql.InvalidQueryException for an unknown ref (400)
     */
    public CatalogView browse(String user, String ref) throws SQLException {
        Optional<TableVersions> versions = refs.resolve(ref);
        return browse(user, versions.orElse(null), versions.isPresent() ? ref.strip() : null);
    }

    /** @param versions what the ref pins, null for the latest data */
    public CatalogView browse(String user, TableVersions versions, String ref) throws SQLException {
        String catalog = connections.catalog();
        String lakeSchema = connections.schema();
        Map<String, Map<String, List<String[]>>> columns = new TreeMap<>(schemaOrder(lakeSchema));
        try (Connection c = connections.open(user, limits.catalogCountTimeout())) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT table_schema, table_name, column_name, data_type FROM " + catalog
                            + ".information_schema.columns WHERE table_schema <> 'information_schema' "
                            + branchSchemaCondition(versions)
                            + "ORDER BY table_schema, table_name, ordinal_position")) {
                while (rs.next()) {
                    String schema = rs.getString(1);
                    String table = rs.getString(2);
                    if (!readAtRef(versions, lakeSchema, schema, table)) {
                        continue;
                    }
                    columns.computeIfAbsent(schema, s -> new TreeMap<>(tableOrder(schema.equals(lakeSchema))))
                            .computeIfAbsent(table, t -> new ArrayList<>())
                            .add(new String[] {rs.getString(3), rs.getString(4)});
                }
            }
            List<CatalogView.Schema> schemas = new ArrayList<>();
            for (var schema : columns.entrySet()) {
                List<CatalogView.Table> tables = new ArrayList<>();
                for (var table : schema.getValue().entrySet()) {
                    Set<String> partitions = partitionColumns(c, schema.getKey(), table.getKey());
                    if (partitions.isEmpty()) {
                        datasets.find(table.getKey()).ifPresent(d -> partitions.addAll(d.partitionColumns()));
                    }
                    List<CatalogView.ColumnInfo> cols = table.getValue().stream()
                            .map(col -> new CatalogView.ColumnInfo(col[0], col[1], partitions.contains(col[0])))
                            .toList();
                    tables.add(new CatalogView.Table(table.getKey(),
                            rowCount(c, schema.getKey(), table.getKey(), at(versions, lakeSchema, schema.getKey(),
                                    table.getKey())), cols));
                }
                schemas.add(new CatalogView.Schema(schema.getKey(), tables));
            }
            return new CatalogView(catalog, ref, schemas);
        }
    }

    /** The lake's schema, then other schemas by name, branch schemas last. */
    private static Comparator<String> schemaOrder(String lakeSchema) {
        return Comparator.<String, Integer>comparing(s -> s.equals(lakeSchema) ? 0 : LakeLayout.isBranchSchema(s) ? 2 : 1)
                .thenComparing(Comparator.naturalOrder());
    }

    /** In the lake's schema the datasets first (descriptor order), then the other (summary) tables by name. */
    private Comparator<String> tableOrder(boolean lake) {
        if (!lake) {
            return Comparator.naturalOrder();
        }
        List<String> names = datasets.names();
        return Comparator.<String, Integer>comparing(t -> names.contains(t) ? names.indexOf(t) : names.size())
                .thenComparing(Comparator.naturalOrder());
    }

    /** Branch schemas out of the metadata query unless the ref's commit pins some of their tables (then only those). */
    private static String branchSchemaCondition(TableVersions versions) {
        String notBranch = "table_schema NOT LIKE '" + LakeLayout.BRANCH_SCHEMA_PREFIX.replace("_", "!_")
                + "%' ESCAPE '!'";
        Set<String> pinnedBranchSchemas = new TreeSet<>();
        if (versions != null && versions.namesItsTables()) {
            for (String key : versions.pinnedTables()) {
                int dot = key.indexOf('.');
                if (dot > 0 && LakeLayout.isBranchSchema(key.substring(0, dot))) {
                    pinnedBranchSchemas.add(key.substring(0, dot));
                }
            }
        }
        if (pinnedBranchSchemas.isEmpty()) {
            return "AND " + notBranch + " ";
        }
        return "AND (" + notBranch + " OR table_schema IN (" + String.join(", ", pinnedBranchSchemas.stream()
                .map(s -> "'" + s.replace("'", "''") + "'").toList()) + ")) ";
    }

    /** Whether a query at the ref reads this table (the rewriter's rule: a commit reads only what it pins). */
    private static boolean readAtRef(TableVersions versions, String lakeSchema, String schema, String table) {
        if (versions == null || !versions.namesItsTables()) {
            return !LakeLayout.isBranchSchema(schema);
        }
        return versions.versionOf(key(lakeSchema, schema, table)).isPresent();
    }

    /** The FOR ... AS OF of a read of the table at the ref, empty for the latest data. */
    private static String at(TableVersions versions, String lakeSchema, String schema, String table) {
        if (versions == null || table.contains("$")) {
            return "";
        }
        if (versions.timestamp().isPresent()) {
            return " FOR TIMESTAMP AS OF TIMESTAMP '" + TRINO_TIMESTAMP.format(versions.timestamp().get()) + "'";
        }
        OptionalLong version = versions.versionOf(key(lakeSchema, schema, table));
        return version.isPresent() ? " FOR VERSION AS OF " + version.getAsLong() : "";
    }

    /** A table's key in a commit's map: {@code t} in the lake's schema, {@code schema.t} elsewhere. */
    private static String key(String lakeSchema, String schema, String table) {
        return schema.equals(lakeSchema) ? table : schema + "." + table;
    }

    private Set<String> tablesInTrino(Connection c) throws SQLException {
        Set<String> known = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM " + connections.catalog()
                + ".information_schema.tables WHERE table_schema = ?")) {
            ps.setString(1, connections.schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
        return known;
    }

    /** Reads partitioned_by from Trino's own CREATE TABLE text, parsed with Trino's parser. */
    private Set<String> partitionColumns(Connection c, String schema, String table) {
        Set<String> result = new TreeSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + qualified(schema, table))) {
            if (rs.next() && new SqlParser().createStatement(rs.getString(1)) instanceof CreateTable create) {
                for (Property p : create.getProperties()) {
                    if (p.getName().getValue().equalsIgnoreCase("partitioned_by") && !p.isSetToDefault()
                            && p.getNonDefaultValue() instanceof Array array) {
                        for (Expression e : array.getValues()) {
                            if (e instanceof StringLiteral s) {
                                result.add(s.getValue());
                            }
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("no partition columns for {}.{}: {}", schema, table, e.getMessage());
        }
        return result;
    }

    /**
     * count(*) under the catalog's short time limit (Delta answers it mostly from file statistics), at the ref's
     * version of the table ({@code at}: its FOR ... AS OF clause, empty for the latest).
     */
    private Long rowCount(Connection c, String schema, String table, String at) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + qualified(schema, table) + at)) {
            return rs.next() ? rs.getLong(1) : null;
        } catch (SQLException e) {
            log.debug("no row count for {}.{}: {}", schema, table, e.getMessage());
            return null;
        }
    }

    private String qualified(String schema, String table) {
        return quote(connections.catalog()) + "." + quote(schema) + "." + quote(table);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}

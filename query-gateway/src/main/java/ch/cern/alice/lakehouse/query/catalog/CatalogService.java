package ch.cern.alice.lakehouse.query.catalog;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.query.config.QueryProperties;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Browses the lake's tables in Trino and registers new Delta tables of the bucket. */
@Service
public class CatalogService {

    private static final Logger log = LoggerFactory.getLogger(CatalogService.class);

    private final TrinoConnections connections;
    private final LakeTables lake;
    private final DatasetCatalog datasets;
    private final QueryProperties limits;

    public CatalogService(TrinoConnections connections, LakeTables lake, DatasetCatalog datasets,
                          QueryProperties limits) {
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

    public CatalogView browse(String user) throws SQLException {
        String catalog = connections.catalog();
        Map<String, Map<String, List<String[]>>> columns = new LinkedHashMap<>();
        try (Connection c = connections.open(user, limits.catalogCountTimeout())) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT table_schema, table_name, column_name, data_type FROM " + catalog
                            + ".information_schema.columns WHERE table_schema <> 'information_schema' "
                            + "ORDER BY table_schema, table_name, ordinal_position")) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), s -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), t -> new ArrayList<>())
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
                    tables.add(new CatalogView.Table(table.getKey(), rowCount(c, schema.getKey(), table.getKey()),
                            cols));
                }
                schemas.add(new CatalogView.Schema(schema.getKey(), tables));
            }
            return new CatalogView(catalog, schemas);
        }
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

    /** count(*) under the catalog's short time limit (Delta answers it mostly from file statistics). */
    private Long rowCount(Connection c, String schema, String table) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + qualified(schema, table))) {
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

package ch.cern.alice.lakehouse.query.sql;

import ch.cern.alice.lakehouse.query.ref.TableVersions;
import io.trino.sql.SqlFormatter;
import io.trino.sql.tree.DefaultTraversalVisitor;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.GenericLiteral;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.QueryPeriod;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.WithQuery;

import java.lang.reflect.Field;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Pins every read of a lakehouse table to a Delta version ({@code FOR VERSION AS OF n}) or a time
 * ({@code FOR TIMESTAMP AS OF}) in the parsed statement, then prints the statement back with Trino's SqlFormatter.
 * Table references are found by walking the AST (subqueries, CTEs and joins included); CTE names shadow tables.
 */
public final class TimeTravelRewriter {

    private static final DateTimeFormatter TRINO_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);
    private static final Field QUERY_PERIOD = queryPeriodField();

    private final String catalog;
    private final String schema;
    private final Predicate<String> isLakehouseTable;

    /** @param isLakehouseTable whether an (unqualified, lower-case) table name is a Delta table of the lake */
    public TimeTravelRewriter(String catalog, String schema, Predicate<String> isLakehouseTable) {
        this.catalog = catalog;
        this.schema = schema;
        this.isLakehouseTable = isLakehouseTable;
    }

    /** Rewrites {@code statement} in place and returns the SQL to execute. */
    public String rewrite(Statement statement, TableVersions versions) {
        TableCollector collector = new TableCollector();
        collector.process(statement, null);
        for (Table table : collector.tables) {
            Optional<String> name = lakehouseTableName(table, collector.cteNames);
            if (name.isEmpty()) {
                continue;
            }
            if (table.getQueryPeriod().isPresent()) {
                throw new InvalidQueryException("table " + name.get() + " already has FOR ... AS OF: "
                        + "do not combine it with a ref");
            }
            periodFor(table, name.get(), versions).ifPresent(period -> setQueryPeriod(table, period));
        }
        return SqlFormatter.formatSql(statement);
    }

    private Optional<QueryPeriod> periodFor(Table node, String table, TableVersions versions) {
        NodeLocation at = node.getLocation().orElse(new NodeLocation(1, 1));
        if (versions.timestamp().isPresent()) {
            Expression time = new GenericLiteral("TIMESTAMP", TRINO_TIMESTAMP.format(versions.timestamp().get()));
            return Optional.of(new QueryPeriod(at, QueryPeriod.RangeType.TIMESTAMP, time));
        }
        OptionalLong version = versions.versionOf(table);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QueryPeriod(at, QueryPeriod.RangeType.VERSION,
                new LongLiteral(Long.toString(version.getAsLong()))));
    }

    private Optional<String> lakehouseTableName(Table table, Set<String> cteNames) {
        List<String> parts = table.getName().getParts();
        String name = parts.get(parts.size() - 1);
        boolean inLake = switch (parts.size()) {
            case 1 -> !cteNames.contains(name);
            case 2 -> parts.get(0).equals(schema);
            case 3 -> parts.get(0).equals(catalog) && parts.get(1).equals(schema);
            default -> false;
        };
        return inLake && isLakehouseTable.test(name) ? Optional.of(name) : Optional.empty();
    }

    /** Trino's AST nodes are immutable and have no generic rewriter for relations: set the period on the node. */
    private static void setQueryPeriod(Table table, QueryPeriod period) {
        try {
            QUERY_PERIOD.set(table, Optional.of(period));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field queryPeriodField() {
        try {
            Field field = Table.class.getDeclaredField("queryPeriod");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("unsupported trino-parser version: Table.queryPeriod not found", e);
        }
    }

    private static final class TableCollector extends DefaultTraversalVisitor<Void> {
        final List<Table> tables = new ArrayList<>();
        final Set<String> cteNames = new HashSet<>();

        @Override
        protected Void visitTable(Table node, Void context) {
            tables.add(node);
            return null;
        }

        @Override
        protected Void visitWithQuery(WithQuery node, Void context) {
            cteNames.add(node.getName().getValue().toLowerCase());
            return super.visitWithQuery(node, context);
        }
    }
}

package ch.cern.alice.lakehouse.query.sql;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.query.ref.TableVersions;
import io.trino.sql.SqlFormatter;
import io.trino.sql.tree.DefaultTraversalVisitor;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.GenericLiteral;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.QualifiedName;
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
 * <p>
 * Lake tables are those of the lake's schema and the branch schemas ({@code branch_<name>.t}, derived tables of
 * branch work). A branch table is read at the version its ref's commit pins; a commit that does not pin it does not
 * hold it, so reading it there is refused. An unqualified name that is not a table of the commit but names exactly
 * one branch table of it ({@code eff} for {@code branch_x.eff}) reads that branch table.
 */
public final class TimeTravelRewriter {

    private static final DateTimeFormatter TRINO_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);
    private static final Field QUERY_PERIOD = tableField("queryPeriod");
    private static final Field NAME = tableField("name");

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
        pin(statement, versions);
        return SqlFormatter.formatSql(statement);
    }

    /** Pins the table reads below {@code node} (a statement, query or expression) in place. */
    public void pin(Node node, TableVersions versions) {
        TableCollector collector = new TableCollector();
        collector.process(node, null);
        for (Table table : collector.tables) {
            Optional<String> key = lakehouseTableKey(table, collector.cteNames, versions);
            if (key.isEmpty()) {
                continue;
            }
            if (table.getQueryPeriod().isPresent()) {
                throw new InvalidQueryException("table " + key.get() + " already has FOR ... AS OF: "
                        + "do not combine it with a ref");
            }
            periodFor(table, key.get(), versions).ifPresent(period -> set(QUERY_PERIOD, table, Optional.of(period)));
        }
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

    /** The key of the table in a commit's map ({@code t} or {@code branch_x.t}); empty when not a lake table. */
    private Optional<String> lakehouseTableKey(Table table, Set<String> cteNames, TableVersions versions) {
        List<String> parts = table.getName().getParts();
        String name = parts.get(parts.size() - 1);
        if (!isLakehouseTable.test(name)) {
            return Optional.empty();
        }
        String tableSchema = switch (parts.size()) {
            case 1 -> cteNames.contains(name) ? null : schema;
            case 2 -> parts.get(0);
            case 3 -> parts.get(0).equals(catalog) ? parts.get(1) : null;
            default -> null;
        };
        if (tableSchema == null) {
            return Optional.empty();
        }
        if (parts.size() == 1 && versions.versionOf(name).isEmpty()) {
            Optional<String> branchTable = branchTableNamed(name, versions);
            branchTable.ifPresent(key -> set(NAME, table, qualified(key)));
            if (branchTable.isPresent()) {
                return branchTable;
            }
        }
        if (tableSchema.equals(schema)) {
            return Optional.of(name);
        }
        if (!LakeLayout.isBranchSchema(tableSchema)) {
            return Optional.empty();
        }
        String key = tableSchema + "." + name;
        if (versions.namesItsTables() && versions.versionOf(key).isEmpty()) {
            throw new InvalidQueryException("table " + key + " is not part of this ref: branch tables are read at a "
                    + "branch, tag or commit that pins them (it may also have been dropped from the branch)");
        }
        return Optional.of(key);
    }

    private static Optional<String> branchTableNamed(String name, TableVersions versions) {
        List<String> candidates = versions.qualifiedTablesNamed(name);
        if (candidates.size() > 1) {
            throw new InvalidQueryException("table name '" + name + "' is ambiguous at this ref: it pins "
                    + String.join(", ", candidates) + "; qualify it with its schema");
        }
        return candidates.stream().findFirst();
    }

    private QualifiedName qualified(String key) {
        int dot = key.indexOf('.');
        return QualifiedName.of(catalog, key.substring(0, dot), key.substring(dot + 1));
    }

    /** Trino's AST nodes are immutable and have no generic rewriter for relations: set the field on the node. */
    private static void set(Field field, Table table, Object value) {
        try {
            field.set(table, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field tableField(String name) {
        try {
            Field field = Table.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("unsupported trino-parser version: Table." + name + " not found", e);
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

package ch.cern.alice.lakehouse.query.sql;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import io.trino.sql.SqlFormatter;
import io.trino.sql.tree.AliasedRelation;
import io.trino.sql.tree.Delete;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.GenericLiteral;
import io.trino.sql.tree.Insert;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.Merge;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.QualifiedName;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QueryPeriod;
import io.trino.sql.tree.Relation;
import io.trino.sql.tree.SetOperation;
import io.trino.sql.tree.ShowStats;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.TableFunctionTableArgument;
import io.trino.sql.tree.WithQuery;

import java.lang.reflect.Field;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Pins every read of a lakehouse table to a Delta version ({@code FOR VERSION AS OF n}) or a time
 * ({@code FOR TIMESTAMP AS OF}) in the parsed statement, then prints the statement back with Trino's SqlFormatter.
 * <p>
 * Every node of the AST is visited (its children, not a visitor's list of known nodes), so a table read anywhere is
 * found: joins, set operations, subqueries in any clause (scalar, IN, EXISTS, quantified), LATERAL, UNNEST, nested
 * WITH, MATCH_RECOGNIZE input, JSON_TABLE. A CTE shadows a table of its name only where Trino's scoping makes the
 * name mean the CTE: for unqualified names, in the WITH clause's body and the CTEs defined after it, and in its own
 * definition only when the WITH is RECURSIVE. {@code WITH trace AS (SELECT * FROM trace) SELECT ... FROM trace}
 * pins the {@code trace} read inside the CTE.
 * <p>
 * Lake tables are the Delta tables of the catalog (any schema but {@code information_schema}; {@code t$history}
 * and other metadata tables are not data reads). With a ref that names its tables (a commit, branch or tag), a lake
 * table it does not pin is refused ({@link InvalidQueryException}, 400) rather than read at its latest version: the
 * lake's schema, branch schemas ({@code branch_<name>.t}, derived tables of branch work) and any other schema alike.
 * An unqualified name that is not a table of the commit but names exactly one branch table of it ({@code eff} for
 * {@code branch_x.eff}) reads that branch table. Nothing is changed in the statement unless every table resolves.
 */
public final class TimeTravelRewriter {

    private static final DateTimeFormatter TRINO_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);
    private static final Field QUERY_PERIOD = tableField("queryPeriod");
    private static final Field NAME = tableField("name");
    private static final Set<String> METADATA_SCHEMAS = Set.of("information_schema");

    private final String catalog;
    private final String schema;
    private final Predicate<String> isLakehouseTable;

    /** @param isLakehouseTable whether a (lower-case) table name can be a Delta table of the lake ({@code t$history} not) */
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

    /**
     * Pins the table reads below {@code node} (a statement, query or expression) in place. The table a write
     * statement writes (INSERT, DELETE, UPDATE, MERGE target) is no read and is left as it is.
     */
    public void pin(Node node, TableVersions versions) {
        List<Pin> pins = new ArrayList<>();
        new Walker(versions, pins).walk(node, CteScope.EMPTY);
        for (Pin pin : pins) { // only once every table resolved: a refused statement is left untouched
            pin.rename().ifPresent(name -> set(NAME, pin.table(), name));
            set(QUERY_PERIOD, pin.table(), Optional.of(pin.period()));
        }
    }

    /** A table read to pin: its period and, for an unqualified name of a branch table, its qualified name. */
    private record Pin(Table table, QueryPeriod period, Optional<QualifiedName> rename) {
    }

    /** The CTE names visible at a point of the statement, innermost first. */
    private record CteScope(String name, CteScope outer) {
        static final CteScope EMPTY = new CteScope(null, null);

        CteScope with(String cte) {
            return new CteScope(cte, this);
        }

        boolean contains(String table) {
            for (CteScope s = this; s != null && s.name != null; s = s.outer) {
                if (s.name.equals(table)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final class Walker {
        private final TableVersions versions;
        private final List<Pin> pins;

        Walker(TableVersions versions, List<Pin> pins) {
            this.versions = versions;
            this.pins = pins;
        }

        void walk(Node node, CteScope scope) {
            switch (node) {
                case Query query -> walkQuery(query, scope);
                case Table table -> read(table, scope);
                case Insert insert -> walk(insert.getQuery(), scope);
                case Delete delete -> delete.getWhere().ifPresent(where -> walk(where, scope));
                case SetOperation setOperation -> {
                    setOperation.getRelations().forEach(relation -> requirePrintable(relation, scope));
                    walkChildren(setOperation, scope);
                }
                case Merge merge -> {
                    requirePrintable(merge.getSource(), scope);
                    for (Node child : merge.getChildren()) {
                        if (child != merge.getTarget()) {
                            walk(child, scope);
                        }
                    }
                }
                case ShowStats stats when unaliased(stats.getRelation()) instanceof Table table -> {
                    if (lakeTable(table, scope).isPresent()) {
                        throw new InvalidQueryException("SHOW STATS FOR " + table.getName() + " shows the latest "
                                + "version's statistics, not the ref's: at a ref use SHOW STATS FOR (SELECT * FROM "
                                + table.getName() + "), or run it without a ref");
                    }
                }
                case TableFunctionTableArgument argument
                        when unaliased(argument.getTable()) instanceof Table table -> {
                    if (lakeTable(table, scope).isPresent()) {
                        throw new InvalidQueryException("a table function argument TABLE(" + table.getName()
                                + ") cannot be read at a ref: write TABLE(SELECT * FROM " + table.getName() + ")");
                    }
                    walkChildren(argument, scope);
                }
                default -> walkChildren(node, scope);
            }
        }

        private void walkChildren(Node node, CteScope scope) {
            for (Node child : node.getChildren()) {
                walk(child, scope);
            }
        }

        /**
         * Trino's scoping of WITH: each CTE's definition sees the CTEs before it (and itself when RECURSIVE), the
         * body sees them all; the functions and session properties of the query see none of them.
         */
        private void walkQuery(Query query, CteScope outer) {
            query.getFunctions().forEach(function -> walk(function, outer));
            query.getSessionProperties().forEach(property -> walk(property, outer));
            CteScope scope = outer;
            if (query.getWith().isPresent()) {
                boolean recursive = query.getWith().get().isRecursive();
                for (WithQuery cte : query.getWith().get().getQueries()) {
                    String name = cte.getName().getValue().toLowerCase(Locale.ENGLISH);
                    walk(cte.getQuery(), recursive ? scope.with(name) : scope);
                    scope = scope.with(name);
                }
            }
            requirePrintable(query.getQueryBody(), scope);
            walk(query.getQueryBody(), scope);
            CteScope body = scope;
            query.getOrderBy().ifPresent(orderBy -> walk(orderBy, body));
            query.getOffset().ifPresent(offset -> walk(offset, body));
            query.getLimit().ifPresent(limit -> walk(limit, body));
        }

        /**
         * Trino's SqlFormatter prints a table that stands alone as a query ({@code TABLE t}), as an operand of a set
         * operation or as a MERGE source as {@code TABLE t} and drops its FOR ... AS OF: the read would silently
         * be unpinned. Refused instead.
         */
        private void requirePrintable(Node relation, CteScope scope) {
            if (relation instanceof Table table && lakeTable(table, scope).isPresent()) {
                throw new InvalidQueryException("TABLE " + table.getName() + " cannot be read at a ref: write "
                        + "SELECT * FROM " + table.getName() + " instead");
            }
        }

        private void read(Table table, CteScope scope) {
            Optional<String> key = lakeTable(table, scope);
            if (key.isEmpty()) {
                return;
            }
            if (table.getQueryPeriod().isPresent()) {
                throw new InvalidQueryException("table " + table.getName() + " already has FOR ... AS OF: "
                        + "do not combine it with a ref");
            }
            NodeLocation at = table.getLocation().orElse(new NodeLocation(1, 1));
            if (versions.timestamp().isPresent()) {
                Expression time = new GenericLiteral(at, "TIMESTAMP",
                        TRINO_TIMESTAMP.format(versions.timestamp().get()));
                pins.add(new Pin(table, new QueryPeriod(at, QueryPeriod.RangeType.TIMESTAMP, time), Optional.empty()));
                return;
            }
            String resolved = key.get();
            Optional<QualifiedName> rename = Optional.empty();
            OptionalLong version = versions.versionOf(resolved);
            if (version.isEmpty() && table.getName().getParts().size() == 1) {
                Optional<String> branchTable = branchTableNamed(resolved);
                if (branchTable.isPresent()) {
                    resolved = branchTable.get();
                    rename = Optional.of(qualified(resolved));
                    version = versions.versionOf(resolved);
                }
            }
            if (version.isEmpty()) {
                throw new InvalidQueryException("table " + resolved + " is not part of this ref: "
                        + (versions.namesItsTables() ? "it pins " + pinnedList() + "; " : "")
                        + "a ref reads only the tables its commit pins (a derived table may also have been dropped "
                        + "from the branch), so " + table.getName() + " is not read at its latest version instead");
            }
            pins.add(new Pin(table, new QueryPeriod(at, QueryPeriod.RangeType.VERSION,
                    new LongLiteral(at, Long.toString(version.getAsLong()))), rename));
        }

        /** The key of a lake table in a commit's map ({@code t}, {@code branch_x.t}); empty when not a lake table. */
        private Optional<String> lakeTable(Table table, CteScope scope) {
            List<String> parts = table.getName().getParts(); // lower case, quoted or not: "Trace" is trace
            String name = parts.get(parts.size() - 1);
            if (parts.size() == 1 && scope.contains(name)) {
                return Optional.empty(); // the CTE
            }
            String tableCatalog = parts.size() == 3 ? parts.get(0) : catalog;
            String tableSchema = switch (parts.size()) {
                case 1 -> schema;
                case 2 -> parts.get(0);
                case 3 -> parts.get(1);
                default -> null;
            };
            if (tableSchema == null || !tableCatalog.equals(catalog) || METADATA_SCHEMAS.contains(tableSchema)
                    || !isLakehouseTable.test(name)) {
                return Optional.empty();
            }
            return Optional.of(tableSchema.equals(schema) ? name : tableSchema + "." + name);
        }

        private Optional<String> branchTableNamed(String name) {
            List<String> candidates = versions.qualifiedTablesNamed(name).stream()
                    .filter(key -> LakeLayout.isBranchSchema(key.substring(0, key.indexOf('.')))).toList();
            if (candidates.size() > 1) {
                throw new InvalidQueryException("table name '" + name + "' is ambiguous at this ref: it pins "
                        + String.join(", ", candidates) + "; qualify it with its schema");
            }
            return candidates.stream().findFirst();
        }

        private String pinnedList() {
            List<String> tables = versions.pinnedTables();
            return tables.isEmpty() ? "no table" : String.join(", ", tables);
        }
    }

    private static Relation unaliased(Relation relation) {
        return relation instanceof AliasedRelation aliased ? aliased.getRelation() : relation;
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
}

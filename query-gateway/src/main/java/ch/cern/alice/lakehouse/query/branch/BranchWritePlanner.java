package ch.cern.alice.lakehouse.query.branch;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.sql.TableVersions;
import ch.cern.alice.lakehouse.query.sql.TimeTravelRewriter;
import io.trino.sql.SqlFormatter;
import io.trino.sql.tree.CreateTableAsSelect;
import io.trino.sql.tree.Delete;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Insert;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.Property;
import io.trino.sql.tree.QualifiedName;
import io.trino.sql.tree.SaveMode;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.StringLiteral;
import io.trino.sql.tree.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parser-level rules of branch work: where a write statement may write (only the branch's own schema), whether the
 * table must or must not be on the branch already, and the SQL Trino runs: the target fully qualified at its fixed
 * location, every read pinned at the branch head like any query at a ref.
 */
public final class BranchWritePlanner {

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

    private final String catalog;
    private final String lakeSchema;
    private final Set<String> datasetNames;
    private final TimeTravelRewriter rewriter;

    public BranchWritePlanner(String catalog, String lakeSchema, Set<String> datasetNames,
                              TimeTravelRewriter rewriter) {
        this.catalog = catalog;
        this.lakeSchema = lakeSchema;
        this.datasetNames = Set.copyOf(datasetNames);
        this.rewriter = rewriter;
    }

    /**
     * Checks where the statement writes and returns that table.
     *
     * @param headTables the branch head's table map (datasets and {@code branch_x.t} tables)
     */
    public BranchWriteTarget target(Statement statement, WriteKind kind, String branch, Map<String, Long> headTables) {
        String schema = LakeLayout.branchSchema(branch);
        List<String> parts = WriteKind.target(statement).getParts();
        String table = parts.get(parts.size() - 1);
        String targetSchema = switch (parts.size()) {
            case 1 -> schema;
            case 2 -> parts.get(0);
            default -> {
                if (!parts.get(0).equals(catalog)) {
                    throw new InvalidQueryException("branch work writes to the " + catalog + " catalog only, not "
                            + parts.get(0));
                }
                yield parts.get(1);
            }
        };
        if (targetSchema.equals(lakeSchema)) {
            throw new WriteForbiddenException("the lake's tables (" + catalog + "." + lakeSchema + ") are written by "
                    + "ETL runs only: write derived tables into " + schema + " (or leave the table unqualified)");
        }
        if (!targetSchema.equals(schema)) {
            if (LakeLayout.isBranchSchema(targetSchema)) {
                throw new WriteForbiddenException("schema " + targetSchema + " belongs to another branch: on branch '"
                        + branch + "' write to " + schema + " (or leave the table unqualified)");
            }
            throw new InvalidQueryException("on branch '" + branch + "' derived tables go to schema " + schema
                    + ", not " + targetSchema + " (or leave the table unqualified)");
        }
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new InvalidQueryException("derived table names are lower-case letters, digits and '_' starting "
                    + "with a letter or '_', got '" + table + "'");
        }
        if (datasetNames.contains(table) || headTables.containsKey(table)) {
            if (kind != WriteKind.CREATE_TABLE_AS && parts.size() == 1) {
                throw new WriteForbiddenException("'" + table + "' is a table of the lake, and the lake's tables "
                        + "are written by ETL runs only: on branch '" + branch + "' write derived tables of " + schema);
            }
            throw new InvalidQueryException("'" + table + "' is the name of a lake table: choose another name for a "
                    + "derived table, so that '" + table + "' keeps meaning the lake's table at every ref");
        }
        BranchWriteTarget target = new BranchWriteTarget(kind, branch, schema, table,
                headTables.get(schema + "." + table));
        requireBranchState(statement, target);
        return target;
    }

    private static void requireBranchState(Statement statement, BranchWriteTarget target) {
        boolean onBranch = target.pinnedVersion() != null;
        if (statement instanceof CreateTableAsSelect ctas) {
            if (ctas.getSaveMode() == SaveMode.IGNORE) {
                throw new InvalidQueryException("CREATE TABLE IF NOT EXISTS ... AS is not supported on a branch: "
                        + "use CREATE TABLE ... AS or CREATE OR REPLACE TABLE ... AS");
            }
            if (ctas.getProperties().stream().anyMatch(p -> p.getName().getValue().equalsIgnoreCase("location"))) {
                throw new InvalidQueryException("do not set a location: the gateway places derived tables at "
                        + "<bucket>/" + target.path() + " where versioning-service reads them");
            }
            if (onBranch && ctas.getSaveMode() == SaveMode.FAIL) {
                throw new BranchWriteConflictException("table " + target.table() + " is already on branch '"
                        + target.branch() + "' (" + target.key() + " at version " + target.pinnedVersion()
                        + "): INSERT INTO it, CREATE OR REPLACE TABLE it, or DROP TABLE it first");
            }
        } else if (!onBranch) {
            throw new InvalidQueryException("table " + target.table() + " is not on branch '" + target.branch()
                    + "' (its head does not pin " + target.key() + "): create it with CREATE TABLE "
                    + target.table() + " AS SELECT ... first");
        }
    }

    /**
     * The SQL Trino runs for the write; null for DROP TABLE, which only unpins the table (see BranchWork).
     *
     * @param pins             the branch head: every table read is pinned to it
     * @param existsInTrino    the Delta table exists already (dropped from the branch before, or replaced): a
     *                         CREATE TABLE AS becomes CREATE OR REPLACE TABLE AS, a new version of the same table
     * @param location         where the table lives, {@code s3://<bucket>/branch_x/t}
     */
    public String sql(Statement statement, BranchWriteTarget target, TableVersions pins, boolean existsInTrino,
                      String location) {
        Table trinoTable = new Table(QualifiedName.of(catalog, target.schema(), target.table()));
        NodeLocation at = statement.getLocation().orElse(new NodeLocation(1, 1));
        if (statement instanceof CreateTableAsSelect ctas) {
            rewriter.pin(ctas.getQuery(), pins);
            List<Property> properties = new ArrayList<>(ctas.getProperties());
            properties.add(new Property(new Identifier("location"), new StringLiteral(location)));
            SaveMode mode = existsInTrino ? SaveMode.REPLACE : ctas.getSaveMode();
            return SqlFormatter.formatSql(new CreateTableAsSelect(at, trinoTable.getName(), ctas.getQuery(), mode,
                    properties, ctas.isWithData(), ctas.getColumnAliases(), ctas.getComment()));
        }
        if (statement instanceof Insert insert) {
            rewriter.pin(insert.getQuery(), pins);
            return SqlFormatter.formatSql(new Insert(at, trinoTable, insert.getColumns(), insert.getQuery()));
        }
        if (statement instanceof Delete delete) {
            delete.getWhere().ifPresent(where -> rewriter.pin(where, pins));
            return SqlFormatter.formatSql(new Delete(at, trinoTable, delete.getWhere()));
        }
        return null;
    }
}

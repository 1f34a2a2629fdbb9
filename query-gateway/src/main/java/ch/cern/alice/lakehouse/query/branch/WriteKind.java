package ch.cern.alice.lakehouse.query.branch;

import io.trino.sql.tree.CreateTableAsSelect;
import io.trino.sql.tree.Delete;
import io.trino.sql.tree.DropTable;
import io.trino.sql.tree.Insert;
import io.trino.sql.tree.QualifiedName;
import io.trino.sql.tree.Statement;

import java.util.Optional;

/** The write statements branch work accepts, each writing (or dropping) exactly one table. */
public enum WriteKind {

    CREATE_TABLE_AS("CREATE TABLE AS"),
    INSERT("INSERT"),
    DELETE("DELETE"),
    DROP_TABLE("DROP TABLE");

    private final String label;

    WriteKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<WriteKind> of(Statement statement) {
        if (statement instanceof CreateTableAsSelect) {
            return Optional.of(CREATE_TABLE_AS);
        }
        if (statement instanceof Insert) {
            return Optional.of(INSERT);
        }
        if (statement instanceof Delete) {
            return Optional.of(DELETE);
        }
        if (statement instanceof DropTable) {
            return Optional.of(DROP_TABLE);
        }
        return Optional.empty();
    }

    /** The table the statement writes, as written in the SQL. */
    public static QualifiedName target(Statement statement) {
        if (statement instanceof CreateTableAsSelect ctas) {
            return ctas.getName();
        }
        if (statement instanceof Insert insert) {
            return insert.getTarget();
        }
        if (statement instanceof Delete delete) {
            return delete.getTable().getName();
        }
        if (statement instanceof DropTable drop) {
            return drop.getTableName();
        }
        throw new IllegalArgumentException("not a branch write: " + statement.getClass().getSimpleName());
    }
}

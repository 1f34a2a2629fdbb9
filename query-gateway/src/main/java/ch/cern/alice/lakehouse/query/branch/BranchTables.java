package ch.cern.alice.lakehouse.query.branch;

import ch.cern.alice.lakehouse.query.catalog.LakeTables;
import ch.cern.alice.lakehouse.query.trino.TrinoConnections;
import ch.cern.alice.lakehouse.query.trino.TrinoSql;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;

/** A branch's derived tables in Trino and on S3: schema, registration, Delta versions. */
@Component
public class BranchTables {

    private final TrinoConnections connections;
    private final LakeTables lake;

    public BranchTables(TrinoConnections connections, LakeTables lake) {
        this.connections = connections;
        this.lake = lake;
    }

    public String location(BranchWriteTarget target) {
        return lake.location(target.path());
    }

    /**
     * Creates the branch schema at {@code <bucket>/branch_x} unless it exists, and makes sure Trino knows the table
     * if its Delta log is on S3 (Trino refuses to create a table where a Delta log is; it may have been dropped in
     * Trino by hand, or written by a Spark job).
     *
     * @return whether the Delta table exists (in Trino, after this call)
     */
    public boolean prepare(Connection c, BranchWriteTarget target) throws SQLException {
        String schemaLocation = lake.location(target.schema());
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + connections.catalog() + "." + target.schema()
                    + " WITH (location = " + TrinoSql.literal(schemaLocation) + ")");
            if (knownToTrino(c, target)) {
                return true;
            }
            if (!lake.hasDeltaLog(target.path())) {
                return false;
            }
            TrinoSql.registerDeltaTable(st, connections.catalog(), target.schema(), target.table(), location(target));
            return true;
        }
    }

    /** The newest Delta version of the table, from its {@code $history} table. */
    public OptionalLong latestVersion(Connection c, BranchWriteTarget target) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(version) FROM "
                + connections.catalog() + "." + target.schema() + ".\"" + target.table() + "$history\"")) {
            if (rs.next()) {
                long version = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(version);
            }
            return OptionalLong.empty();
        }
    }

    private boolean knownToTrino(Connection c, BranchWriteTarget target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + connections.catalog()
                + ".information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, target.schema());
            ps.setString(2, target.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }
}

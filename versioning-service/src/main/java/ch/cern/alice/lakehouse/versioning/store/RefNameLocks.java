package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Transaction-scoped Postgres advisory locks on ref names. Branches and tags live in two tables, so "no branch and tag
 * share a name" (and "no two branches share a derived-table schema") is a check across rows no unique index covers:
 * creators of the same name take the same lock first, so one of two concurrent creations sees the other's row.
 */
@Repository
public class RefNameLocks {

    /** First key of the two-key advisory locks: keeps these apart from any other advisory lock on the database. */
    private static final int NAME_SPACE = 0x52454631; // "REF1"
    private static final int SCHEMA_SPACE = 0x52454632; // "REF2"

    private final JdbcClient jdbc;

    public RefNameLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Held until the caller's transaction ends (a hash collision only serializes two unrelated creations). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockName(String name) {
        lock(NAME_SPACE, name);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void lockSchema(String schema) {
        lock(SCHEMA_SPACE, schema);
    }

    private void lock(int space, String key) {
        jdbc.sql("SELECT pg_advisory_xact_lock(?, hashtext(?))").params(space, key).query((rs, n) -> 1).list();
    }
}

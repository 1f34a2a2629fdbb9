package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.common.lake.LakeLayout;
import ch.cern.alice.lakehouse.support.security.Caller;

/**
 * Rules beyond the role checks of the endpoints: only admins move {@code main}; researchers move only branches they
 * created and pin schema-qualified tables only from their own branch schema ({@code branch_<name>}).
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static void requireMayMove(Branch branch, Caller caller) {
        if (caller.isAdmin()) {
            return;
        }
        if (branch.name().equals(Names.MAIN)) {
            throw new ForbiddenException("only admins may change branch main (ETL runs advance it)");
        }
        if (!branch.createdBy().equals(caller.name())) {
            throw new ForbiddenException("branch '" + branch.name() + "' belongs to " + branch.createdBy()
                    + ": only its creator or an admin may change it");
        }
    }

    public static void requireMayPin(Branch branch, String table, Caller caller) {
        int dot = table.indexOf('.');
        if (caller.isAdmin() || dot < 0) {
            return;
        }
        String schema = table.substring(0, dot);
        String own = LakeLayout.branchSchema(branch.name());
        if (!schema.equals(own)) {
            throw new ForbiddenException("table '" + table + "' is outside this branch's schema '" + own
                    + "': on branch '" + branch.name() + "' pin datasets or " + own + ".<table>");
        }
    }
}

package ch.cern.alice.lakehouse.versioning.domain;

/**
 * Whether the caller may commit to a branch, and where its derived tables live: asked by query-gateway before it
 * writes a derived table on the branch, so that a write the commit would refuse never starts.
 *
 * @param schema    the branch's Trino schema for derived tables ({@code branch_<name>})
 * @param mayCommit the caller may move this branch (its creator or an admin; main: admins only)
 * @param reason    why not, when {@code mayCommit} is false
 */
public record BranchAccess(String branch, String head, String createdBy, String schema, boolean mayCommit,
                           String reason) {
}

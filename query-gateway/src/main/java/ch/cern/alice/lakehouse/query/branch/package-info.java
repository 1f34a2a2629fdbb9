/**
 * Branch work: a researcher's write statement (CREATE TABLE AS, INSERT, DELETE, DROP TABLE) on a branch they own
 * runs in the branch's schema under a per-branch lock and is pinned by a commit on the branch afterwards.
 * {@code BranchWork} implements the execution core's {@code domain.WriteStatements}.
 */
package ch.cern.alice.lakehouse.query.branch;

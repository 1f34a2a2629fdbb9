/**
 * The client of versioning-service's API (refs, branch access checks, commits) used by refs and branch work.
 */
package ch.cern.alice.lakehouse.query.versioning;

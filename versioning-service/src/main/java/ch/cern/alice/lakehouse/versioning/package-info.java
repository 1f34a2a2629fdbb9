/**
 * versioning-service: git-like versions of the lake's Delta tables (branches, tags and commits that pin
 * table -> Delta version), served over REST. {@link ch.cern.alice.lakehouse.versioning.VersioningApplication} starts
 * it; its sub-packages form no cycle (PackageCyclesTest).
 */
package ch.cern.alice.lakehouse.versioning;

/**
 * {@code LakeLayout}: where the lake's tables live (dataset tables, branch schemas, table paths), shared by the
 * writers and readers of Delta logs.
 */
package ch.cern.alice.lakehouse.common.lake;

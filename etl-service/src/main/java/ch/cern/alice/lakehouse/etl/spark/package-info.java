/**
 * The etl-jobs Spark application in its own JVM: the long-lived warm application (started, supervised and handed
 * runs over its stdin protocol), the one-shot launcher, the job's stdout protocol and the application's health
 * indicator.
 */
package ch.cern.alice.lakehouse.etl.spark;

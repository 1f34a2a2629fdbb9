/**
 * What starts runs automatically: the cron schedule, the staged-rows threshold and continuous mode.
 */
package ch.cern.alice.lakehouse.etl.schedule;

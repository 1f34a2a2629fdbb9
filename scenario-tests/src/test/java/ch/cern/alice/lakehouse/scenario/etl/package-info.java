/**
 * etl-service and its Spark application killed with {@code kill -9} in the middle of a run: nothing lost, nothing
 * written twice.
 */
package ch.cern.alice.lakehouse.scenario.etl;

/**
 * The ALICE grid load simulator ({@code java -jar simulator.jar --help}): its options, the run loop of sender
 * threads and the counters it prints.
 */
package ch.cern.alice.lakehouse.simulator;

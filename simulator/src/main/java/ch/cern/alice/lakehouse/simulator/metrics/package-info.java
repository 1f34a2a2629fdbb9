/**
 * MonALISA-style site monitoring records (job counts, VoBox load, network) per site and tick.
 */
package ch.cern.alice.lakehouse.simulator.metrics;

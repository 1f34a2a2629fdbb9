/**
 * The simulated grid: real ALICE sites with relative sizes, tiers and per-site behaviour.
 */
package ch.cern.alice.lakehouse.simulator.grid;

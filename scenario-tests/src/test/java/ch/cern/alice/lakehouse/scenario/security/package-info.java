/**
 * Attacks against the running stack, layer by layer (Trino, gateway, database): each must be refused while the
 * allowed path next to it still works.
 */
package ch.cern.alice.lakehouse.scenario.security;

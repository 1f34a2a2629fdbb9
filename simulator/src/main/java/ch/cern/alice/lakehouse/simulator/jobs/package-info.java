/**
 * Simulated grid jobs with consistent lifecycles (activity, final state, timing, JDL) and the job_info, jdl and
 * trace records they produce.
 */
package ch.cern.alice.lakehouse.simulator.jobs;

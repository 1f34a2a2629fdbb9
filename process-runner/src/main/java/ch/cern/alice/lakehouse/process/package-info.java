/**
 * Child-process plumbing shared by the test servers and the local stack: waiting for a child's endpoint, graceful
 * stop (SIGTERM, then SIGKILL, descendants too) and deleting data directory trees. No third-party dependency.
 */
package ch.cern.alice.lakehouse.process;

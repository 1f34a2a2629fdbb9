/**
 * Helpers shared by the collector's tests: an HTTP client against the started service, realistic sample records,
 * the site keys and users every test context configures, a free port standing in for a broker that is down, and a
 * topic reader to check what was published.
 */
package ch.cern.alice.lakehouse.collector.testsupport;

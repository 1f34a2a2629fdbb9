/**
 * Who may call what: sites with their API key on the records endpoint, users (service-support's HTTP Basic) on the
 * statistics and the actuator.
 */
package ch.cern.alice.lakehouse.collector.security;

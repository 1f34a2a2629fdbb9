/**
 * A minimal secured service for service-support's tests, with one endpoint per kind of rule the real services use.
 */
package ch.cern.alice.lakehouse.support.security.app;

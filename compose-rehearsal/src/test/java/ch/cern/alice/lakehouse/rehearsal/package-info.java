/**
 * docker-compose.yml rehearsed on this host without a Docker engine: the resolved compose configuration checked
 * against each service's config files, then every service started from its exec jar with exactly its container's
 * environment, on loopback ports, with the operator guide's commands run against it.
 */
package ch.cern.alice.lakehouse.rehearsal;

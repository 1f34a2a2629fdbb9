/**
 * Static and smoke tests of the Docker deployment: docker-compose.yml's validity and documented variables, least
 * privilege per service, the images' Maven build scripts, and (with a Docker engine only) the intake path in
 * compose.
 */
package ch.cern.alice.lakehouse.localstack.compose;

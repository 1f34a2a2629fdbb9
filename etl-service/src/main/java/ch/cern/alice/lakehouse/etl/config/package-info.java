/**
 * Spring wiring of etl-service and the set-up of what it needs outside itself: {@code BucketInitializer} makes sure
 * the lake bucket exists at start and before every run. (The service's settings are {@code EtlProperties} in the
 * base package; the {@code DatasetCatalog} bean comes from service-support.)
 */
package ch.cern.alice.lakehouse.etl.config;

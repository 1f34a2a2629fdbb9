/**
 * collector-service: grid sites POST monitoring records, each record is validated against its dataset descriptor
 * and published to the dataset's Kafka topic. This package holds only the Spring Boot application class.
 */
package ch.cern.alice.lakehouse.collector;

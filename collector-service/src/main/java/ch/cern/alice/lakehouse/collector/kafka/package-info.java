/**
 * Kafka side of the collector: the idempotent producer (acks=all) and its configuration, the publisher that waits
 * until Kafka acknowledged or refused every record of a batch, topic provisioning and the Kafka health indicator.
 */
package ch.cern.alice.lakehouse.collector.kafka;

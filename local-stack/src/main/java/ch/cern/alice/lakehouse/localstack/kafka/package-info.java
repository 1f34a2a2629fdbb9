/**
 * A single-node KRaft Kafka 4 broker and controller on 127.0.0.1, run from the Maven jars.
 */
package ch.cern.alice.lakehouse.localstack.kafka;

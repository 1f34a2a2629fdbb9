/**
 * One POST from parsing to publishing: the body is streamed record by record, each record validated and
 * de-duplicated within the body, encoded as the Kafka envelope of docs/contracts.md, and the batch published; the
 * request slots and body limits live here too.
 */
package ch.cern.alice.lakehouse.collector.intake;

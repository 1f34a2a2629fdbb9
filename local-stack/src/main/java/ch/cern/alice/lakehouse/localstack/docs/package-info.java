/**
 * {@code DatasetDocs}: generates docs/datasets.md from the dataset descriptors, so that the documentation cannot
 * drift from what the platform validates.
 */
package ch.cern.alice.lakehouse.localstack.docs;

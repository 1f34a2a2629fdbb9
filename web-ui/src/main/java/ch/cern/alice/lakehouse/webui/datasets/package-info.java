/**
 * The lake's tables as the dataset descriptors define them, in the shape of query-gateway's catalog: what the app
 * shows when the gateway does not answer.
 */
package ch.cern.alice.lakehouse.webui.datasets;

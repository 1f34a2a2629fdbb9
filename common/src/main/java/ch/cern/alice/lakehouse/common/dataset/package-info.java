/**
 * The dataset catalog: descriptors ({@code lakehouse/datasets/*.dataset}) and their parser, fields and field types
 * with their value checks. Shared by every service and the Spark job; no Spring, no third-party runtime dependency.
 */
package ch.cern.alice.lakehouse.common.dataset;

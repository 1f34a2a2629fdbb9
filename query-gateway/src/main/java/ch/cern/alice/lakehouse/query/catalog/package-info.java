/**
 * The lake's tables as Trino sees them (tables, columns, row counts at a ref) and the registration of new Delta
 * tables found in the bucket.
 */
package ch.cern.alice.lakehouse.query.catalog;

/**
 * Exports of a finished read as CSV or Parquet: the pinned SQL runs again and every row is spooled to a file that
 * the response streams, within {@code QUERY_EXPORT_MAX_ROWS}.
 */
package ch.cern.alice.lakehouse.query.export;

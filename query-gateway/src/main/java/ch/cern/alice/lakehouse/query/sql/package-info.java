/**
 * SQL checks and rewrites with Trino's parser: the statement guard (one statement, reads only for non-admins) and the
 * time-travel rewriter that pins each lake table to the version a ref names ({@code TableVersions}).
 */
package ch.cern.alice.lakehouse.query.sql;

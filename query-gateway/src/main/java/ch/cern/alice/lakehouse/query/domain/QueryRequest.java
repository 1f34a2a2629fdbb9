package ch.cern.alice.lakehouse.query.domain;

/**
 * A query to run on behalf of {@code user}.
 *
 * @param originalSql  what the user sent (or the saved query's template)
 * @param sql          the SQL to run before time travel (parameters bound)
 * @param mayWrite     admins may run statements other than reads
 * @param maxRows      rows to keep, at most the configured limit; null = the limit
 */
public record QueryRequest(String user, String originalSql, String sql, String ref, Integer maxRows,
                           boolean mayWrite, Long savedQueryId) {
}

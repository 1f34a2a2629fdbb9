package ch.cern.alice.lakehouse.query.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Limits of the query tier (env {@code QUERY_*}).
 *
 * @param maxResultRows         rows kept per query; beyond that the result is marked truncated
 * @param pageSize              default display page size
 * @param timeout               statement timeout, enforced by Trino (query_max_execution_time) and the client
 * @param maxConcurrentPerUser  queued + running queries and running exports one user may have
 * @param executorThreads       queries running at the same time (all users)
 * @param executorQueue         queries waiting for a thread before new ones are refused with 503
 * @param retainedQueries       finished queries kept in memory for status/results/export
 * @param catalogCountTimeout   time limit of the row counts of the catalog browser
 * @param exportMaxRows         rows one export may hold; an export of more is refused (422) and nothing is sent
 */
@ConfigurationProperties("query")
public record QueryProperties(int maxResultRows, int pageSize, Duration timeout, int maxConcurrentPerUser,
                              int executorThreads, int executorQueue, int retainedQueries,
                              Duration catalogCountTimeout, long exportMaxRows) {
}

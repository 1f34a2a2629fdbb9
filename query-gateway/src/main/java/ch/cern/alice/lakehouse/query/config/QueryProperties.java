package ch.cern.alice.lakehouse.query.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import org.springframework.util.unit.DataSize;

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
 * @param maxResultBytes        estimated size of the rows kept per query (env {@code QUERY_MAX_RESULT_BYTES}, e.g.
 *                              {@code 64MB} or a number of bytes); the row that would pass it is not kept, the result
 *                              is marked truncated and the query ends in Trino, like {@code maxResultRows}
 */
@ConfigurationProperties("query")
public record QueryProperties(int maxResultRows, int pageSize, Duration timeout, int maxConcurrentPerUser,
                              int executorThreads, int executorQueue, int retainedQueries,
                              Duration catalogCountTimeout, long exportMaxRows, DataSize maxResultBytes) {

    /** The byte cap; unset (e.g. a test building the record) means the default of 64 MiB. */
    public long maxResultBytesOrDefault() {
        return maxResultBytes == null ? DataSize.ofMegabytes(64).toBytes() : maxResultBytes.toBytes();
    }
}

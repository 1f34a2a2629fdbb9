/**
 * {@code WarmBench}: the warm-ETL and freshness benchmarks against a running stack (5k-row runs, throughput,
 * freshness, idle CPU, RSS); started by the {@code bench/warm-*.sh}, {@code bench/freshness-bench.sh} and {@code
 * bench/small-runs-query-bench.sh} scripts.
 */
package ch.cern.alice.lakehouse.bench.warm;

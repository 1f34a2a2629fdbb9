/**
 * {@code QueryBench}: the three research queries on Trino alone, cold and warm; started by {@code
 * bench/query-bench.sh}.
 */
package ch.cern.alice.lakehouse.bench.query;

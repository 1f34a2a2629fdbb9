/**
 * Latency benchmark of versioning operations ({@code VersioningBench}, run by bench/versioning-bench.sh, not by the
 * test suite): goal below 50 ms per call.
 */
package ch.cern.alice.lakehouse.versioning.bench;

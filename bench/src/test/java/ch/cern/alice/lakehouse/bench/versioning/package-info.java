/**
 * {@code VersioningBench}: latency of versioning operations (goal below 50 ms per call) on versioning-service's test
 * fixtures ({@code AbstractServiceTestBase}, from its test-jar); run by {@code bench/versioning-bench.sh} through
 * surefire with {@code -Dbench.run}, never by {@code verify}.
 */
package ch.cern.alice.lakehouse.bench.versioning;

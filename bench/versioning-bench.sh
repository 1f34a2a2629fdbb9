#!/usr/bin/env bash
# Latency of versioning-service operations (commit, branch/tag create, diff, resolve, log, merge) over HTTP with
# 50 Delta tables (logs on S3Proxy) and 10k commits in Postgres (embedded). Prints p50/p95/p99/max per operation.
# Options (env): BENCH_COMMITS (10000), BENCH_CALLS (300 measured calls per operation).
set -euo pipefail
cd "$(dirname "$0")/.."
# The harness is bench/src/test/java/.../bench/versioning/VersioningBench.java (the bench module, on
# versioning-service's test-jar): build them, then surefire runs it in the bench module (-Dbench.run).
./mvnw -B -q -pl bench -am install -DskipTests
rm -f bench/target/bench/versioning-bench.txt
./mvnw -B -q -pl bench test -Dbench.run -Dtest=VersioningBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.commits="${BENCH_COMMITS:-10000}" -Dbench.calls="${BENCH_CALLS:-300}"
echo "== versioning-service benchmark (2-core machine; goal < 50 ms per call) =="
cat bench/target/bench/versioning-bench.txt

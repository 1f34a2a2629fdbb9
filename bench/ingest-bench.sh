#!/usr/bin/env bash
# Ingest path benchmark, one command: POSTs synthetic ALICE job traces to collector-service from several client
# threads in batches (HTTP -> validation -> Kafka -> ingest-service -> Postgres COPY into staging) and prints
# records/s end to end (first POST start -> last row staged) and p50/p99 POST-start -> staged latency.
#
# Default: starts everything embedded in one JVM on 127.0.0.1 with random ports (KRaft Kafka, PostgreSQL via zonky,
# both services); temp data under e2e-tests/target/bench (removed by the embedded servers when they stop).
# Against running services instead: BENCH_COLLECTOR_URL, BENCH_API_KEY, BENCH_DB_URL, BENCH_DB_USER,
# BENCH_DB_PASSWORD (pause ETL runs meanwhile: the figures are read from staging).
# Knobs: BENCH_RECORDS (500000), BENCH_BATCH (5000), BENCH_THREADS (4), BENCH_WARMUP_RECORDS (50000),
# BENCH_PARTITIONS (6), BENCH_INGEST_CONCURRENCY (2).
# BENCH_JVM_OPTS: extra options for the bench JVM (it runs both services), e.g.
# BENCH_JVM_OPTS='-XX:StartFlightRecording=filename=/tmp/ingest.jfr,settings=profile' to profile a run.
set -euo pipefail
cd "$(dirname "$0")/.."

# The harness is bench/src/test/java/.../bench/ingest/IngestBenchmark.java (the bench module, compiled against
# e2e-tests' test-jar); it runs on e2e-tests' own test class path (the stack's, without the bench module's others).
./mvnw -B -q -pl bench -am install -DskipTests
BENCH_DIR=e2e-tests/target/bench
mkdir -p "$BENCH_DIR/tmp"
./mvnw -B -q -pl e2e-tests dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/classpath.txt
CP="bench/target/test-classes:e2e-tests/target/test-classes:$(cat "$BENCH_DIR/classpath.txt")"
exec java -Xmx3g ${BENCH_JVM_OPTS:-} -Djava.io.tmpdir="$PWD/$BENCH_DIR/tmp" -cp "$CP" \
  ch.cern.alice.lakehouse.bench.ingest.IngestBenchmark

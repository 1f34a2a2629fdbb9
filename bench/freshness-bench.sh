#!/usr/bin/env bash
# (c) Freshness under steady load (issue #14 target: p99 < 60 s at 1,000 records/s): the grid simulator sends
# BENCH_RECORDS_PER_S (1000) records/s for BENCH_DURATION seconds (600); meanwhile one trace record with a unique
# job id every BENCH_SAMPLE_EVERY_MS (1000) is POSTed, and the time from its 202 (Kafka-acknowledged) until a
# query through query-gateway at ref main returns it is its freshness (polled every BENCH_POLL_MS, 1000, after the
# previous poll query ended). Samples of the first BENCH_FRESH_WARMUP seconds (60, at most a tenth of the duration)
# are not counted; after the load, samples get BENCH_FRESH_DRAIN (180) more seconds, the ones never seen count as
# infinitely late. Prints p50/p99/max (upper bound: poll query end; lower bound: poll query start) with the load.
# No run is triggered by the harness: the rows reach main by etl-service's own triggers (continuous runs).
#   bench/freshness-bench.sh                                   # 10 minutes
#   BENCH_DURATION=60 BENCH_RECORDS_PER_S=200 bench/freshness-bench.sh    # short smoke
# BENCH_RECORDS_PER_JOB (2.96, measured with the simulator's --dry-run) turns records/s into its --rate (jobs/s).
. "$(dirname "${BASH_SOURCE[0]}")/lib/warm-common.sh"
SIMULATOR_JAR=$ROOT/simulator/target/simulator-0.1.0-SNAPSHOT.jar
check_load
ensure_stack
[ -f "$SIMULATOR_JAR" ] || { echo "ERROR: $SIMULATOR_JAR missing: ./mvnw -B -q -pl simulator -am install -DskipTests" >&2; exit 1; }
DURATION=${BENCH_DURATION:-600}
JOBS_PER_S=$(awk -v r="${BENCH_RECORDS_PER_S:-1000}" -v p="${BENCH_RECORDS_PER_JOB:-2.96}" 'BEGIN { printf "%.0f", r / p }')
echo "simulator: $JOBS_PER_S jobs/s (~${BENCH_RECORDS_PER_S:-1000} records/s) for $DURATION s"
export BENCH_DURATION=$DURATION
KEY_PATTERN='demo-{site}-key'
KEY_PATTERN=${BENCH_API_KEY_PATTERN:-$KEY_PATTERN}
export BENCH_SIMULATOR_CMD="exec java -Xmx512m -jar '$SIMULATOR_JAR' --collector '$LAKEHOUSE_COLLECTOR_URL' \
  --rate $JOBS_PER_S --duration $DURATION --threads 2 --batch ${BENCH_SIM_BATCH:-200} --metrics-interval 0 \
  --api-key-pattern '$KEY_PATTERN'"
warm_bench freshness
echo "after: $(uptime)"

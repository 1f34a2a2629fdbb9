#!/usr/bin/env bash
# Intake load benchmark: the ALICE grid simulator as load generator against a running collector.
#   bench/simulator-load.sh                 # 60 s, as fast as possible, against $LAKEHOUSE_COLLECTOR_URL
#   bench/simulator-load.sh --dry-run       # generation + local validation only (no collector needed)
# Extra arguments go to the simulator (e.g. --threads 8 --batch 2000 --duration 120). Prints the simulator's
# summary (records/s accepted, request latency p50/p95/p99) and appends it to bench/results/ (git-ignored).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/simulator/target/simulator-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl simulator -am install -DskipTests
mkdir -p "$ROOT/bench/results"
OUT=$ROOT/bench/results/simulator-load-$(date -u +%Y%m%dT%H%M%SZ).txt
COLLECTOR=${LAKEHOUSE_COLLECTOR_URL:-http://127.0.0.1:8081}
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, collector $COLLECTOR, args: $*"
  java -Xmx1g -jar "$JAR" --collector "$COLLECTOR" --rate 0 --duration 60 --threads 4 --batch 1000 \
    --metrics-interval 5 "$@"
} 2>&1 | tee "$OUT"
echo "saved to $OUT"

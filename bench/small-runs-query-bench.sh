#!/usr/bin/env bash
# (d) Research queries after many small runs vs one large run with the same rows (issue #14 target: within 1.2x):
# two throw-away stacks one after the other, each on a fresh data dir under BENCH_DIR (.data/bench-small-runs) and
# its own ports (BENCH_PORT_BASE 21000: Postgres +432, Kafka +92/+93, S3 +900, Trino +90, web-ui +80, collector +81,
# ingest +82, etl +83, gateway +84, versioning +85), so a running ./lakehouse stack is not touched:
#   large: BENCH_SMALL_RUNS x BENCH_ROWS_PER_RUN (500 x 1,000) jobs' trace and job_info rows COPYed into staging at
#          once, one run per dataset;
#   small: the same rows in BENCH_SMALL_RUNS chunks, each chunk staged then run (trace and job_info side by side),
#          then the stack left to go idle (compaction / maintenance runs etl-service schedules happen here).
# Each stack then times the three research queries of bench/query (same SQL, on the lake's trace and job_info)
# through query-gateway at ref main: one warm-up + BENCH_QUERY_RUNS (5) each, p50; the last lines compare them.
# The small-runs stack is measured as its runs (and scheduled maintenance) left it, then once more after an
# OPTIMIZE of both tables on demand (POST /api/v1/etl/maintenance; BENCH_OPTIMIZE=0 skips it), shown for information.
#   bench/small-runs-query-bench.sh
#   BENCH_SMALL_RUNS=20 BENCH_ROWS_PER_RUN=500 bench/small-runs-query-bench.sh    # short smoke
# Needs the stack built (./lakehouse up --build once). Keeps the two data dirs for inspection (BENCH_DIR). A .env
# that fixes ports or URLs (PG_PORT, LAKEHOUSE_*_URL, ...) wins over BENCH_PORT_BASE in ./lakehouse: move it away.
. "$(dirname "${BASH_SOURCE[0]}")/lib/warm-common.sh"
BENCH_DIR=${BENCH_DIR:-$ROOT/.data/bench-small-runs}
BASE=${BENCH_PORT_BASE:-21000}
# Trino unpacks once into the normal stack's server dir (data, etc and secrets stay per stack)
[ -d "$ROOT/.data/trino/server/lib" ] && export TRINO_SERVER_DIR=${TRINO_SERVER_DIR:-$ROOT/.data/trino/server}
mkdir -p "$BENCH_DIR"

use_stack() { # <label>: this harness's ports and data dir for one stack
  export LAKEHOUSE_DATA_DIR=$BENCH_DIR/$1
  export PG_PORT=$((BASE + 432)) KAFKA_PORT=$((BASE + 92)) S3_PORT=$((BASE + 900)) TRINO_PORT=$((BASE + 90))
  export WEBUI_PORT=$((BASE + 80)) COLLECTOR_PORT=$((BASE + 81)) INGEST_PORT=$((BASE + 82)) ETL_PORT=$((BASE + 83))
  export QUERY_PORT=$((BASE + 84)) VERSIONING_PORT=$((BASE + 85))
  unset LAKEHOUSE_COLLECTOR_URL LAKEHOUSE_INGEST_URL LAKEHOUSE_ETL_URL LAKEHOUSE_QUERY_URL LAKEHOUSE_VERSIONING_URL \
    LAKEHOUSE_DB_URL LAKEHOUSE_KAFKA_BOOTSTRAP LAKEHOUSE_S3_ENDPOINT LAKEHOUSE_TRINO_URL TRINO_DIR BENCH_DB_URL \
    LAKEHOUSE_TRINO_TRUSTSTORE ETL_LOG_DIR
  bench_env
}

CURRENT=
down_current() {
  if [ -n "$CURRENT" ]; then
    use_stack "$CURRENT"
    "$ROOT/lakehouse" down || true
    CURRENT=
  fi
}
trap down_current EXIT

check_load
for label in large small; do
  use_stack "$label"
  for port in $PG_PORT $KAFKA_PORT $S3_PORT $TRINO_PORT $COLLECTOR_PORT $ETL_PORT $QUERY_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "ERROR: port $port is in use: set BENCH_PORT_BASE to a free range" >&2
      exit 1
    fi
  done
  rm -rf "$LAKEHOUSE_DATA_DIR"
  echo "== [$label] fresh stack in $LAKEHOUSE_DATA_DIR, etl-service $LAKEHOUSE_ETL_URL"
  CURRENT=$label
  "$ROOT/lakehouse" up
  for url in "$LAKEHOUSE_COLLECTOR_URL" "$LAKEHOUSE_ETL_URL" "$LAKEHOUSE_QUERY_URL"; do
    healthy "$url" || { echo "ERROR: $url not healthy (LAKEHOUSE_DATA_DIR=$LAKEHOUSE_DATA_DIR ./lakehouse status)" >&2; exit 1; }
  done
  warm_bench research-load "$label"
  warm_bench research-queries "$label" "$BENCH_DIR/$label.tsv"
  if [ "$label" = small ] && [ "${BENCH_OPTIMIZE:-1}" = 1 ]; then
    echo "== [small] compaction on demand (POST /api/v1/etl/maintenance optimize), then the queries again"
    rm -f "$BENCH_DIR/small-optimized.tsv"
    warm_bench optimize
    warm_bench research-queries small-optimized "$BENCH_DIR/small-optimized.tsv"
  fi
  down_current
done
warm_bench research-compare "$BENCH_DIR/large.tsv" "$BENCH_DIR/small.tsv" "$BENCH_DIR/small-optimized.tsv"
echo "after: $(uptime)"

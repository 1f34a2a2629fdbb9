# Sourced by the warm-ETL / freshness harnesses (bench/warm-*.sh, bench/freshness-bench.sh,
# bench/small-runs-query-bench.sh). They talk to a running local stack (./lakehouse up) through its public APIs only:
# collector POST, etl-service's run API, query-gateway's query API at ref main; rows of large batches are COPYed
# into staging (Postgres) so that one run takes them all.
#
# Configuration, as ./lakehouse reads it: .env at the repo root, then the same defaults (ports, URLs, demo users).
# Bench-only knobs: BENCH_NO_START=1 (never start a stack: fail when none runs), BENCH_KEEP_STACK=1 (leave a stack this
# harness started running), BENCH_MAX_LOAD (1.5: warn above this 1-min load average before starting),
# BENCH_ADMIN_USER/_PASSWORD (admin/admin-demo: triggers runs), BENCH_RESEARCHER_USER/_PASSWORD
# (researcher/researcher-demo: queries), BENCH_API_KEY_PATTERN (demo-{site}-key), BENCH_DB_URL/_USER/_PASSWORD
# (staging's owner lakehouse_staging on the stack's Postgres).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -f "$ROOT/.env" ]; then
  set -a
  # shellcheck disable=SC1091
  . "$ROOT/.env"
  set +a
fi

bench_env() { # the URLs and credentials of the stack on the current ports (as ./lakehouse computes them)
  export LAKEHOUSE_DATA_DIR=${LAKEHOUSE_DATA_DIR:-$ROOT/.data}
  export LAKEHOUSE_COLLECTOR_URL=${LAKEHOUSE_COLLECTOR_URL:-http://127.0.0.1:${COLLECTOR_PORT:-8081}}
  export LAKEHOUSE_ETL_URL=${LAKEHOUSE_ETL_URL:-http://127.0.0.1:${ETL_PORT:-8083}}
  export LAKEHOUSE_QUERY_URL=${LAKEHOUSE_QUERY_URL:-http://127.0.0.1:${QUERY_PORT:-8084}}
  export BENCH_DB_URL=${BENCH_DB_URL:-${LAKEHOUSE_DB_URL:-jdbc:postgresql://127.0.0.1:${PG_PORT:-5432}/lakehouse}}
  export BENCH_DB_USER=${BENCH_DB_USER:-lakehouse_staging}
  export BENCH_DB_PASSWORD=${BENCH_DB_PASSWORD:-${LAKEHOUSE_DB_STAGING_PASSWORD:-staging-local-only}}
  export BENCH_ADMIN_USER=${BENCH_ADMIN_USER:-${LAKEHOUSE_ADMIN_USER:-admin}}
  export BENCH_ADMIN_PASSWORD=${BENCH_ADMIN_PASSWORD:-${LAKEHOUSE_ADMIN_PASSWORD:-admin-demo}}
}
bench_env

# the load average now (as uptime prints it), and a warning when the 1-min load is above BENCH_MAX_LOAD
check_load() {
  echo "before: $(uptime)"
  local one
  one=$(cut -d' ' -f1 /proc/loadavg)
  if awk -v l="$one" -v m="${BENCH_MAX_LOAD:-1.5}" 'BEGIN { exit !(l > m) }'; then
    echo "WARNING: 1-min load average $one is above ${BENCH_MAX_LOAD:-1.5}: the machine is not idle, the figures" \
      "below will be disturbed (the load is printed with every figure)" >&2
  fi
}

healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1/actuator/health" || true)" = 200 ]; }

STARTED_STACK=
stop_started_stack() {
  if [ -n "$STARTED_STACK" ] && [ -z "${BENCH_KEEP_STACK:-}" ]; then
    echo "stopping the stack this harness started (BENCH_KEEP_STACK=1 keeps it)"
    "$ROOT/lakehouse" down || true
  fi
}

# reuse a running stack (collector, etl-service and query-gateway healthy), else start one with ./lakehouse up
ensure_stack() {
  if healthy "$LAKEHOUSE_COLLECTOR_URL" && healthy "$LAKEHOUSE_ETL_URL" && healthy "$LAKEHOUSE_QUERY_URL"; then
    echo "reusing the running stack (etl-service $LAKEHOUSE_ETL_URL, data in $LAKEHOUSE_DATA_DIR)"
    return 0
  fi
  [ -z "${BENCH_NO_START:-}" ] || { echo "ERROR: no healthy stack at $LAKEHOUSE_ETL_URL and BENCH_NO_START is set" >&2; exit 1; }
  if ! healthy "$LAKEHOUSE_COLLECTOR_URL" && ! healthy "$LAKEHOUSE_ETL_URL" && ! healthy "$LAKEHOUSE_QUERY_URL"; then
    STARTED_STACK=1
    trap stop_started_stack EXIT
  fi
  echo "starting the stack: ./lakehouse up (data in $LAKEHOUSE_DATA_DIR)"
  "$ROOT/lakehouse" up
  for url in "$LAKEHOUSE_COLLECTOR_URL" "$LAKEHOUSE_ETL_URL" "$LAKEHOUSE_QUERY_URL"; do
    healthy "$url" || { echo "ERROR: $url is not healthy after ./lakehouse up (./lakehouse status)" >&2; exit 1; }
  done
}

# pgjdbc for COPY into staging: from the local Maven repository, fetched once if missing
pg_jar() {
  local jar
  jar=$(ls "$HOME"/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar 2>/dev/null | grep -v sources \
    | sort -V | tail -1 || true)
  if [ -z "$jar" ]; then
    "$ROOT/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact=org.postgresql:postgresql:42.7.7 -Dtransitive=false >&2
    jar=$HOME/.m2/repository/org/postgresql/postgresql/42.7.7/postgresql-42.7.7.jar
  fi
  printf '%s' "$jar"
}

# WarmBench.java as a source-file program (JDK 17+), pgjdbc on the class path
warm_bench() {
  java -Xmx${BENCH_XMX:-1g} -cp "$(pg_jar)" "$ROOT/bench/src/main/java/ch/cern/alice/lakehouse/bench/warm/WarmBench.java" "$@"
}

#!/usr/bin/env bash
# Throughput and latency of web-ui's API proxy against a plain HTTP server on 127.0.0.1, compared with going
# to that server directly. Usage: bench/web-ui-proxy.sh [MiB, default 256] [small requests, default 300]
# Needs: java 17, python3, curl; builds web-ui (backend only) if its jar is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-256}
SMALL_REQUESTS=${2:-300}
WORK=web-ui/target/bench
JAR=web-ui/target/web-ui-0.1.0-SNAPSHOT-exec.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl web-ui -Dskip.npm -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

rm -rf "$WORK" && mkdir -p "$WORK/www/api/v1/queries/bench"
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/www/api/v1/queries/bench/export"
echo '{"id":"bench","status":"FINISHED"}' > "$WORK/www/api/v1/queries/bench/status"

BACKEND_PORT=$(free_port)
WEBUI_PORT_BENCH=$(free_port)
python3 -m http.server "$BACKEND_PORT" --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
LAKEHOUSE_USERS='bench:{noop}bench:viewer' WEBUI_PORT=$WEBUI_PORT_BENCH \
  LAKEHOUSE_QUERY_URL="http://127.0.0.1:$BACKEND_PORT" java -Xmx512m -jar "$JAR" >"$WORK/webui.log" 2>&1 &
WEBUI_PID=$!
cleanup() { kill "$WEBUI_PID" "$BACKEND_PID" 2>/dev/null || true; wait "$WEBUI_PID" "$BACKEND_PID" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$WEBUI_PORT_BENCH/actuator/health" >/dev/null 2>&1 && break
  sleep 1
done

DIRECT="http://127.0.0.1:$BACKEND_PORT"
PROXIED="http://127.0.0.1:$WEBUI_PORT_BENCH"

throughput() { # best of 3, MB/s
  local best=0
  for _ in 1 2 3; do
    local bps
    bps=$(curl -s -o /dev/null -w '%{speed_download}' "$1/api/v1/queries/bench/export?format=csv")
    best=$(python3 -c "print(max($best, $bps / 1048576))")
  done
  printf '%.0f' "$best"
}

latency() { # one curl process, keep-alive; prints "p50 p95" in ms
  local urls=()
  for _ in $(seq 1 "$SMALL_REQUESTS"); do urls+=(-o /dev/null "$1/api/v1/queries/bench/status"); done
  curl -s -w '%{time_total}\n' "${urls[@]}" | python3 -c '
import sys
t = sorted(float(x) * 1000 for x in sys.stdin if x.strip())
t = t[len(t) // 10:]  # drop warm-up tail of the first requests
print(f"{t[len(t)//2]:.2f} {t[int(len(t)*0.95)]:.2f}")'
}

# warm-up: JIT and connection pool
curl -s -o /dev/null "$PROXIED/api/v1/queries/bench/export" ; latency "$PROXIED" >/dev/null

echo "web-ui proxy benchmark ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)), ${SIZE_MB} MiB body, ${SMALL_REQUESTS} small requests"
printf '%-26s %12s %12s %12s\n' "path" "MiB/s" "p50 ms" "p95 ms"
read -r d50 d95 <<<"$(latency "$DIRECT")"
printf '%-26s %12s %12s %12s\n' "direct to backend" "$(throughput "$DIRECT")" "$d50" "$d95"
read -r p50 p95 <<<"$(latency "$PROXIED")"
printf '%-26s %12s %12s %12s\n' "through web-ui proxy" "$(throughput "$PROXIED")" "$p50" "$p95"

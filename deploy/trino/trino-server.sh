#!/usr/bin/env bash
# Local Trino 476 for the lakehouse: install | start | stop | status | run
#   install  unpack io.trino:trino-server:476 (fetched into ~/.m2 by Maven if missing), keep only needed plugins
#   start    generate etc/ from deploy/trino/etc + environment, start in the background, wait until ready
#   stop     stop the server started by `start` (by PID)
#   run      like start but in the foreground
# Environment (defaults): TRINO_DIR (.data/trino), TRINO_SERVER_DIR ($TRINO_DIR/server), TRINO_PORT (8090), TRINO_JAVA_HOME
# (/usr/lib/jvm/temurin-25-jdk-amd64), TRINO_XMX (2G), TRINO_QUERY_MAX_MEMORY (1GB), TRINO_CACHE_DIR ($TRINO_DIR/cache),
# TRINO_CACHE_SIZE (4GB: local copies of Delta data files), LAKEHOUSE_S3_ENDPOINT
# (http://127.0.0.1:9000), LAKEHOUSE_S3_BUCKET (lakehouse), LAKEHOUSE_S3_REGION (us-east-1),
# LAKEHOUSE_S3_ACCESS_KEY / LAKEHOUSE_S3_SECRET_KEY (lakehouse / lakehouse-secret, local S3Proxy defaults).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TRINO_VERSION=476
export TRINO_DIR=${TRINO_DIR:-$ROOT/.data/trino}
export TRINO_SERVER_DIR=${TRINO_SERVER_DIR:-$TRINO_DIR/server}
export TRINO_ETC_DIR=$TRINO_DIR/etc
export TRINO_DATA_DIR=$TRINO_DIR/data
export TRINO_PORT=${TRINO_PORT:-8090}
export TRINO_JAVA_HOME=${TRINO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export TRINO_XMX=${TRINO_XMX:-2G}
export TRINO_QUERY_MAX_MEMORY=${TRINO_QUERY_MAX_MEMORY:-1GB}
export TRINO_CACHE_DIR=${TRINO_CACHE_DIR:-$TRINO_DIR/cache}
export TRINO_CACHE_SIZE=${TRINO_CACHE_SIZE:-4GB}
export LAKEHOUSE_S3_ENDPOINT=${LAKEHOUSE_S3_ENDPOINT:-http://127.0.0.1:9000}
export LAKEHOUSE_S3_BUCKET=${LAKEHOUSE_S3_BUCKET:-lakehouse}
export LAKEHOUSE_S3_REGION=${LAKEHOUSE_S3_REGION:-us-east-1}
export LAKEHOUSE_S3_ACCESS_KEY=${LAKEHOUSE_S3_ACCESS_KEY:-lakehouse}
export LAKEHOUSE_S3_SECRET_KEY=${LAKEHOUSE_S3_SECRET_KEY:-lakehouse-secret}
PID_FILE=$TRINO_DIR/trino.pid
VARS='${TRINO_PORT} ${TRINO_DATA_DIR} ${TRINO_SERVER_DIR} ${TRINO_ETC_DIR} ${TRINO_XMX} ${TRINO_QUERY_MAX_MEMORY}
 ${TRINO_CACHE_DIR} ${TRINO_CACHE_SIZE}
 ${LAKEHOUSE_S3_ENDPOINT} ${LAKEHOUSE_S3_BUCKET} ${LAKEHOUSE_S3_REGION} ${LAKEHOUSE_S3_ACCESS_KEY} ${LAKEHOUSE_S3_SECRET_KEY}'

install() {
  [ -d "$TRINO_SERVER_DIR/lib" ] && return 0
  local tarball=$HOME/.m2/repository/io/trino/trino-server/$TRINO_VERSION/trino-server-$TRINO_VERSION.tar.gz
  if [ ! -f "$tarball" ]; then
    # dependency plugin 3.x: the default 2.8 mis-parses the tar.gz coordinates
    "$ROOT/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact=io.trino:trino-server:$TRINO_VERSION:tar.gz -Dtransitive=false
  fi
  mkdir -p "$TRINO_SERVER_DIR.tmp"
  # the tarball hard-links jars between plugins: unpack everything, then drop the plugins we do not use
  tar xzf "$tarball" -C "$TRINO_SERVER_DIR.tmp" --strip-components=1
  find "$TRINO_SERVER_DIR.tmp/plugin" -mindepth 1 -maxdepth 1 ! -name delta-lake ! -name tpch -exec rm -rf {} +
  mv "$TRINO_SERVER_DIR.tmp" "$TRINO_SERVER_DIR"
}

configure() {
  mkdir -p "$TRINO_ETC_DIR/catalog" "$TRINO_DATA_DIR" "$TRINO_CACHE_DIR"
  for f in config.properties jvm.config log.properties catalog/delta.properties; do
    envsubst "$VARS" < "$HERE/etc/$f" > "$TRINO_ETC_DIR/$f"
  done
}

run_java() {
  local opts=()
  while IFS= read -r line; do
    [[ -z "${line// }" || "$line" == \#* ]] || opts+=("$line")
  done < "$TRINO_ETC_DIR/jvm.config"
  cd "$TRINO_DIR"
  exec "$TRINO_JAVA_HOME/bin/java" "${opts[@]}" -Dconfig="$TRINO_ETC_DIR/config.properties" \
    -Dlog.levels-file="$TRINO_ETC_DIR/log.properties" -cp "$TRINO_SERVER_DIR/lib/*" io.trino.server.TrinoServer
}

wait_ready() {
  for _ in $(seq 1 180); do
    if curl -fsS "http://127.0.0.1:$TRINO_PORT/v1/info" 2>/dev/null | grep -q '"starting":false'; then
      echo "Trino ready on port $TRINO_PORT"; return 0
    fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "Trino exited; see $TRINO_DIR/server.log" >&2; return 1
    fi
    sleep 1
  done
  echo "Trino did not become ready in 180 s; see $TRINO_DIR/server.log" >&2; return 1
}

case "${1:-}" in
  install) install ;;
  start)
    install; configure
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then echo "already running"; exit 0; fi
    (run_java > "$TRINO_DIR/server.log" 2>&1) &
    echo $! > "$PID_FILE"
    wait_ready ;;
  run)
    install; configure
    run_java ;;
  stop)
    if [ -f "$PID_FILE" ]; then
      pid=$(cat "$PID_FILE")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
    fi ;;
  status)
    curl -fsS "http://127.0.0.1:$TRINO_PORT/v1/info" && echo ;;
  *) echo "usage: $0 install|start|stop|status|run" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Local S3 (S3Proxy 4.1.0 on the file system, SigV4, path-style): start | stop
# Environment (defaults): S3PROXY_DIR (.data/s3proxy), LAKEHOUSE_S3_ENDPOINT (http://127.0.0.1:9000),
# LAKEHOUSE_S3_BUCKET (lakehouse), LAKEHOUSE_S3_ACCESS_KEY (lakehouse), LAKEHOUSE_S3_SECRET_KEY (lakehouse-secret).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
S3PROXY_DIR=${S3PROXY_DIR:-$ROOT/.data/s3proxy}
ENDPOINT=${LAKEHOUSE_S3_ENDPOINT:-http://127.0.0.1:9000}
BUCKET=${LAKEHOUSE_S3_BUCKET:-lakehouse}
JAR=$HOME/.m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar
PID_FILE=$S3PROXY_DIR/s3proxy.pid
case "${1:-}" in
  start)
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "S3Proxy already running (pid $(cat "$PID_FILE")) at $ENDPOINT"; exit 0
    fi
    if curl -s -o /dev/null "$ENDPOINT/"; then
      echo "something else already answers at $ENDPOINT: stop it or set LAKEHOUSE_S3_ENDPOINT" >&2; exit 1
    fi
    [ -f "$JAR" ] || "$ROOT/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -Dtransitive=false
    mkdir -p "$S3PROXY_DIR/data/$BUCKET"
    cat > "$S3PROXY_DIR/s3proxy.properties" <<PROPS
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
# the AWS SDK v2 used by Trino sends x-amz-optional-object-attributes on listings
s3proxy.ignore-unknown-headers=true
s3proxy.identity=${LAKEHOUSE_S3_ACCESS_KEY:-lakehouse}
s3proxy.credential=${LAKEHOUSE_S3_SECRET_KEY:-lakehouse-secret}
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$S3PROXY_DIR/data
PROPS
    java -jar "$JAR" --properties "$S3PROXY_DIR/s3proxy.properties" > "$S3PROXY_DIR/s3proxy.log" 2>&1 &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 60); do
      curl -s -o /dev/null "$ENDPOINT/" && { echo "S3Proxy ready at $ENDPOINT"; exit 0; }
      sleep 0.5
    done
    echo "S3Proxy did not start; see $S3PROXY_DIR/s3proxy.log" >&2; exit 1 ;;
  stop)
    [ -f "$PID_FILE" ] && { kill "$(cat "$PID_FILE")" 2>/dev/null || true; rm -f "$PID_FILE"; } ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

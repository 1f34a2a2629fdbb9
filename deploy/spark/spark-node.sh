#!/usr/bin/env bash
# Starts a Spark standalone master or worker from the etl-jobs classpath (no Spark distribution needed):
#   spark-node.sh master [--host H] [--port 7077] [--webui-port 8080]
#   spark-node.sh worker spark://HOST:7077 [--cores N] [--memory 2g] [--work-dir DIR]
# Heap of the master/worker daemon itself: SPARK_DAEMON_MEMORY (default 512m). The executors a worker starts get
# their classpath and flags from the driver's conf (etl-service's ETL_SPARK_CONF) and from spark-defaults.conf.
set -euo pipefail
home=${ETL_JOBS_HOME:-/opt/etl-jobs}
# a Spark distribution sets this in load-spark-env.sh; without it a worker cannot build its executors' command
export SPARK_SCALA_VERSION=${SPARK_SCALA_VERSION:-2.13}
role=${1:?usage: spark-node.sh master|worker ...}
shift
case "$role" in
  master) main=org.apache.spark.deploy.master.Master ;;
  worker) main=org.apache.spark.deploy.worker.Worker ;;
  *) echo "unknown role $role (master|worker)" >&2; exit 2 ;;
esac
# shellcheck disable=SC2046
exec java -Xmx"${SPARK_DAEMON_MEMORY:-512m}" $(cat "$home/spark-jvm-flags.txt") \
  -cp "${SPARK_CONF_DIR:-/opt/spark/conf}:$home/etl-jobs-0.1.0-SNAPSHOT.jar:$home/lib/*" "$main" "$@"

#!/usr/bin/env bash
# (e) Idle CPU of the warm ETL application (issue #14 target: < 2% of a core): waits until no run is queued or
# running and nothing is staged (then BENCH_IDLE_SETTLE, 10 s, more), finds the long-lived Spark application JVM
# (SparkSubmit running etl-jobs' WarmEtlMain; BENCH_SPARK_PID to name it yourself) and reads its CPU time (utime +
# stime of /proc/<pid>/stat) over BENCH_IDLE_SECONDS (60): total and per 10 s, plus its RSS, and etl-service's own
# idle CPU for comparison. A run created during the window (schedule, continuous trigger) is reported.
#   bench/warm-idle-cpu-bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/warm-common.sh"
check_load
ensure_stack
warm_bench idle-cpu
echo "after: $(uptime)"

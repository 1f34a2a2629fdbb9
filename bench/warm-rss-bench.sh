#!/usr/bin/env bash
# Memory of the warm ETL application over many runs (issue #14: flat over 1,000 runs): BENCH_RSS_RUNS (1000) runs of
# BENCH_RSS_ROWS (100) trace rows each (staged by COPY; BENCH_STAGE=post to POST them to the collector), each
# triggered over REST and waited for; every BENCH_RSS_EVERY (100) runs prints the Spark application JVM's RSS (VmRSS
# and peak VmHWM of /proc/<pid>/status), its pid (a change = the application was restarted) and the p50 run time.
#   bench/warm-rss-bench.sh
#   BENCH_RSS_RUNS=200 BENCH_RSS_EVERY=20 bench/warm-rss-bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/warm-common.sh"
check_load
ensure_stack
warm_bench rss
echo "after: $(uptime)"

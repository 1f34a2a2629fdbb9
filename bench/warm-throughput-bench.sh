#!/usr/bin/env bash
# (b) ETL throughput through the running (warm) ETL application (issue #14 target: >= 60,000 rows/s on 2 cores):
# BENCH_ROWS (1,000,000) trace rows COPYed into staging in one go, one run over REST, rows/s from its run record
# (rowsRead / durationMs, and over queued -> finished); then a MERGE of BENCH_MERGE_ROWS (a quarter: 250,000), a fifth
# of them re-sent jobs with a newer state change (updates), the rest new. A 2,000-row warm-up run comes first.
# (bench/etl-bench.sh measures the etl-jobs job alone, without a stack; this one measures the stack's own runs.)
#   bench/warm-throughput-bench.sh
#   BENCH_ROWS=200000 BENCH_MERGE_ROWS=50000 bench/warm-throughput-bench.sh
# Common knobs: bench/lib/warm-common.sh (staging is written as BENCH_DB_USER, default lakehouse_staging).
. "$(dirname "${BASH_SOURCE[0]}")/lib/warm-common.sh"
check_load
ensure_stack
warm_bench throughput
echo "after: $(uptime)"

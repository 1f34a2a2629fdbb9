#!/usr/bin/env bash
# (a) Wall time of a 5k-row ETL run once the ETL application is warm (issue #14 target: < 3 s), from the run
# records of etl-service: one warm-up run, then BENCH_RUNS (5) times: BENCH_ROWS (5000) trace records POSTed to the
# collector, waited for until staged, a run triggered over REST (or taken by a continuous run), its durationMs.
# Prints each run, then the p50/min/max with the target and the load average.
#   bench/warm-run-bench.sh                      # reuses a running ./lakehouse up, else starts (and then stops) one
#   BENCH_RUNS=10 BENCH_STAGE=copy bench/warm-run-bench.sh   # stage by COPY into staging instead of POST
# Common knobs (stack, users, load warning): bench/lib/warm-common.sh. Writes bench rows (job ids >= 5e15) into
# the stack's lake: use a throw-away stack (LAKEHOUSE_DATA_DIR=.data/bench ./lakehouse up) if that matters.
. "$(dirname "${BASH_SOURCE[0]}")/lib/warm-common.sh"
check_load
ensure_stack
warm_bench run5k
echo "after: $(uptime)"

#!/usr/bin/env bash
# ETL benchmark, one command: stages ETL_BENCH_ROWS (default 1,000,000) synthetic trace rows with COPY into an
# embedded Postgres, then runs the etl-jobs Spark job (SparkSubmit, local[*], own JVM, as etl-service launches it)
# into Delta on S3Proxy, and prints rows/s for staging and for staging -> Delta.
# Then a second batch of ETL_BENCH_MERGE_ROWS (default a quarter of that, a fifth of them re-sent jobs) is MERGEd into
# the table the first run created: the steady state of hourly runs. Staging has the schema ingest-service writes.
# ETL_BENCH_JVM_OPTS adds flags to the job's JVM (e.g. -XX:StartFlightRecording=filename=/tmp/etl.jfr to profile).
# The job prints ETL_PHASE lines (wall and JVM CPU ms per phase); CPU ms are the figure least disturbed by other
# load on the machine, whose load average is printed before and after.
# Everything runs on 127.0.0.1 with random ports; temp data under etl-jobs/target/bench (removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl etl-jobs package -DskipTests
./mvnw -B -q -pl etl-jobs dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/bench-classpath.txt
./mvnw -B -q -pl etl-jobs dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies \
  -DoutputDirectory=target/bench -Dmdep.stripVersion=true

BENCH_DIR=etl-jobs/target/bench
mkdir -p "$BENCH_DIR/tmp"
CP="etl-jobs/target/classes:etl-jobs/target/test-classes:$(cat "$BENCH_DIR/bench-classpath.txt")"
echo "before: $(uptime)"
java -Xmx1g -Djava.io.tmpdir="$PWD/$BENCH_DIR/tmp" -cp "$CP" bench/src/main/java/ch/cern/alice/lakehouse/bench/etl/EtlBench.java \
  "$PWD/etl-jobs/target" "$PWD/$BENCH_DIR" "${ETL_BENCH_ROWS:-1000000}" "$(ls "$PWD/$BENCH_DIR"/s3proxy*.jar | head -1)"
echo "after: $(uptime)"

#!/usr/bin/env bash
# Builds the Spark job's home as etl-service and the Spark image use it: deploy/build/etl-jobs-home.sh OUT_DIR
# -> OUT_DIR/etl-jobs-0.1.0-SNAPSHOT.jar, OUT_DIR/lib/*.jar (its whole runtime classpath, Spark included, so driver,
# master, worker and executors all run the same Spark) and OUT_DIR/spark-jvm-flags.txt.
# One Maven run with -am: the job's own modules (common) come from the reactor, never from a repository, so this
# works against an empty local Maven repository. Extra Maven arguments: LAKEHOUSE_MAVEN_ARGS.
set -euo pipefail
out=${1:?usage: etl-jobs-home.sh OUT_DIR}
cd "$(dirname "$0")/../.."
# shellcheck disable=SC2086
./mvnw -B -q ${LAKEHOUSE_MAVEN_ARGS:-} -pl etl-jobs -am package dependency:copy-dependencies -DskipTests \
  -DincludeScope=runtime -DoutputDirectory=target/lib
mkdir -p "$out/lib"
cp etl-jobs/target/lib/*.jar "$out/lib/"
cp etl-jobs/target/etl-jobs-0.1.0-SNAPSHOT.jar etl-jobs/target/spark-jvm-flags.txt "$out/"

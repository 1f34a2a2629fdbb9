#!/usr/bin/env bash
# Builds one Spring Boot service's exec jar as its image does:
#   deploy/build/service-jar.sh MODULE OUT_DIR [extra Maven arguments...]   -> OUT_DIR/app.jar
# Runs from the repository root; works against an empty local Maven repository (-am builds every module it
# needs from the reactor). Maven arguments for every build script: LAKEHOUSE_MAVEN_ARGS (e.g.
# -Dmaven.repo.local=/tmp/m2).
set -euo pipefail
module=${1:?usage: service-jar.sh MODULE OUT_DIR [maven args...]}
out=${2:?usage: service-jar.sh MODULE OUT_DIR [maven args...]}
shift 2
cd "$(dirname "$0")/../.."
# shellcheck disable=SC2086
./mvnw -B -q ${LAKEHOUSE_MAVEN_ARGS:-} -pl "$module" -am package -DskipTests "$@"
mkdir -p "$out"
cp "$module/target/$module-0.1.0-SNAPSHOT-exec.jar" "$out/app.jar"

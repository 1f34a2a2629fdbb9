#!/bin/sh
# MinIO set-up for docker compose (the minio-init service runs it at every `docker compose up`; idempotent): the
# lakehouse bucket, and one user per component with its own policy (deploy/minio/policies, docs/security.md
# "Least privilege"): the services and Trino never get the root credentials, which stay with this script.
#
#   lakehouse-etl         etl-service and its Spark job: read and write the lake tables, not branch_* nor Trino's
#                         metastore
#   lakehouse-trino       Trino: read the whole lake, write branch_* (branch tables) and _trino_metastore/
#   lakehouse-versioning  versioning-service: read the tables' Delta logs (*/_delta_log/*) and nothing else
#   lakehouse-query       query-gateway: list the bucket (which tables exist)
#
# Environment: S3_ACCESS_KEY / S3_SECRET_KEY (MinIO's root), S3_BUCKET, and for each user above
# LAKEHOUSE_S3_<ETL|TRINO|VERSIONING|QUERY>_ACCESS_KEY / _SECRET_KEY. Re-running with a changed secret key changes
# that user's secret (rotation). Only POSIX sh and mc: the mc image has no sed or grep.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${S3_ACCESS_KEY:?S3_ACCESS_KEY (MinIO root user) is not set}"
: "${S3_SECRET_KEY:?S3_SECRET_KEY (MinIO root password) is not set}"
: "${S3_BUCKET:?S3_BUCKET is not set}"
case $S3_BUCKET in
  *[!a-z0-9.-]* | [!a-z0-9]* ) echo "minio-init: '$S3_BUCKET' is not an S3 bucket name" >&2; exit 2 ;;
esac

# every @BUCKET@ of $1 replaced by the bucket name
with_bucket() {
  rest=$1 out=
  while :; do
    case $rest in
      *@BUCKET@*) out=$out${rest%%@BUCKET@*}$S3_BUCKET; rest=${rest#*@BUCKET@} ;;
      *) printf '%s\n' "$out$rest"; return ;;
    esac
  done
}

mc alias set lake http://minio:9000 "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >/dev/null
mc mb --ignore-existing "lake/$S3_BUCKET"

for entry in etl:ETL trino:TRINO versioning:VERSIONING query:QUERY; do
  name=${entry%%:*} var=${entry#*:}
  eval "access=\${LAKEHOUSE_S3_${var}_ACCESS_KEY:-}"
  eval "secret=\${LAKEHOUSE_S3_${var}_SECRET_KEY:-}"
  if [ -z "$access" ] || [ -z "$secret" ]; then
    echo "minio-init: LAKEHOUSE_S3_${var}_ACCESS_KEY and LAKEHOUSE_S3_${var}_SECRET_KEY must be set" >&2
    exit 2
  fi
  if [ "${#secret}" -lt 8 ]; then
    echo "minio-init: LAKEHOUSE_S3_${var}_SECRET_KEY is shorter than 8 characters (MinIO's minimum)" >&2
    exit 2
  fi
  if [ "$access" = "$S3_ACCESS_KEY" ]; then
    echo "minio-init: LAKEHOUSE_S3_${var}_ACCESS_KEY must not be the root user" >&2
    exit 2
  fi
  policy=lakehouse-$name
  with_bucket "$(cat "$here/policies/$policy.json")" > "/tmp/$policy.json"
  mc admin policy create lake "$policy" "/tmp/$policy.json" >/dev/null
  mc admin user add lake "$access" "$secret" >/dev/null
  case $(mc admin user info lake "$access" --json) in
    *"$policy"*) ;;
    *) mc admin policy attach lake "$policy" --user "$access" >/dev/null ;;
  esac
  echo "minio-init: user $access has policy $policy on bucket $S3_BUCKET"
done

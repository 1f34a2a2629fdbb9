#!/bin/sh
# Creates or updates the services' database roles, their schemas and grants (deploy/postgres/roles.sql) and sets
# the roles' passwords from the environment. Idempotent: run it again after changing a password (rotation) or
# after an upgrade. docs/operator-guide.md, "Database roles".
#
#   docker compose: the postgres-init service runs it at every `docker compose up`
#   an external Postgres:  PGHOST=db.example.org PGUSER=<superuser> PGPASSWORD=... PGDATABASE=lakehouse \
#                          LAKEHOUSE_DB_STAGING_PASSWORD=... (all five) sh deploy/postgres/init-roles.sh
#
# Connection: the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) name a superuser session on the
# lakehouse database. Passwords: LAKEHOUSE_DB_STAGING_PASSWORD, LAKEHOUSE_DB_INGEST_PASSWORD,
# LAKEHOUSE_DB_ETL_PASSWORD, LAKEHOUSE_DB_QUERY_PASSWORD, LAKEHOUSE_DB_VERSIONING_PASSWORD (at least 12 characters).
# They reach the server as psql variables, never on a command line.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
roles_sql=$here/roles.sql
[ -r "$roles_sql" ] || { echo "init-roles: $roles_sql not found" >&2; exit 2; }

for name in STAGING INGEST ETL QUERY VERSIONING; do
  eval "value=\${LAKEHOUSE_DB_${name}_PASSWORD:-}"
  if [ -z "$value" ]; then
    echo "init-roles: LAKEHOUSE_DB_${name}_PASSWORD is not set (see .env.example)" >&2
    exit 2
  fi
  if [ "${#value}" -lt 12 ]; then
    echo "init-roles: LAKEHOUSE_DB_${name}_PASSWORD is shorter than 12 characters" >&2
    exit 2
  fi
  case $value in
    change-me*) echo "init-roles: WARNING: LAKEHOUSE_DB_${name}_PASSWORD is the .env.example placeholder" >&2 ;;
  esac
done

psql -X -q -v ON_ERROR_STOP=1 \
  -v staging_password="$LAKEHOUSE_DB_STAGING_PASSWORD" \
  -v ingest_password="$LAKEHOUSE_DB_INGEST_PASSWORD" \
  -v etl_password="$LAKEHOUSE_DB_ETL_PASSWORD" \
  -v query_password="$LAKEHOUSE_DB_QUERY_PASSWORD" \
  -v versioning_password="$LAKEHOUSE_DB_VERSIONING_PASSWORD" \
  -f - <<SQL
SET lakehouse.staging_password = :'staging_password';
SET lakehouse.ingest_password = :'ingest_password';
SET lakehouse.etl_password = :'etl_password';
SET lakehouse.query_password = :'query_password';
SET lakehouse.versioning_password = :'versioning_password';
\i '$roles_sql'
SQL
echo "init-roles: roles lakehouse_staging, lakehouse_ingest, lakehouse_etl, lakehouse_query, lakehouse_versioning ready in database $(psql -X -At -c 'SELECT current_database()')"

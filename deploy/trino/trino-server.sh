#!/usr/bin/env bash
# Local Trino 476 for the lakehouse: install | prepare | configure | start | stop | status | run | run-configured
#   install         unpack io.trino:trino-server:476 (fetched into ~/.m2 by Maven if missing), keep only needed plugins
#   prepare         only the TLS key pair, shared secret and client certificate (docker compose's trino-init, as root)
#   configure       generate what is missing of the secrets (TLS key pair, internal shared secret, the principals'
#                   passwords), write the password file and the groups file, fill etc/ from deploy/trino/etc
#   start           install + configure, start in the background, wait until ready
#   stop            stop the server started by `start` (by PID)
#   run             like start but in the foreground
#   run-configured  run in the foreground with what `configure` wrote earlier
# Trino speaks HTTPS only and every client logs in (docs/security.md#trino): principals `gateway` (query-gateway,
# runs each query as its real user) and `admin` (operators); lakehouse users get their groups from LAKEHOUSE_USERS.
# Environment (defaults): TRINO_DIR (.data/trino), TRINO_SERVER_DIR ($TRINO_DIR/server), TRINO_SECRETS_DIR
# ($TRINO_DIR/secrets), TRINO_PORT (8090, HTTPS), TRINO_BIND_ADDRESS (127.0.0.1), TRINO_TLS_HOSTNAMES (none: the
# certificate names 127.0.0.1 and localhost, plus these comma-separated host names/addresses), TRINO_CLIENT_DIR
# (none: also copy the certificate trino.pem there, for clients), TRINO_FILES_OWNER (none: chown the generated files,
# e.g. 1000:1000 when configured as root), TRINO_JAVA_HOME (/usr/lib/jvm/temurin-25-jdk-amd64 if present, else
# JAVA_HOME), TRINO_XMX (2G), TRINO_QUERY_MAX_MEMORY (1GB), TRINO_CACHE_DIR ($TRINO_DIR/cache), TRINO_CACHE_SIZE (4GB:
# local copies of Delta data files), TRINO_LAKE_SCHEMA (lakehouse: the schema of the lake's tables, a regex),
# LAKEHOUSE_TRINO_PASSWORD / TRINO_ADMIN_PASSWORD (the gateway's / admin's password; generated into
# $TRINO_SECRETS_DIR/gateway.password / admin.password when unset), LAKEHOUSE_USERS (name:password:role;... -> groups),
# LAKEHOUSE_S3_ENDPOINT (http://127.0.0.1:9000), LAKEHOUSE_S3_BUCKET (lakehouse), LAKEHOUSE_S3_REGION (us-east-1),
# LAKEHOUSE_S3_ACCESS_KEY / LAKEHOUSE_S3_SECRET_KEY (lakehouse / lakehouse-secret, local S3Proxy defaults).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TRINO_VERSION=476
export TRINO_DIR=${TRINO_DIR:-$ROOT/.data/trino}
export TRINO_SERVER_DIR=${TRINO_SERVER_DIR:-$TRINO_DIR/server}
export TRINO_ETC_DIR=$TRINO_DIR/etc
export TRINO_DATA_DIR=$TRINO_DIR/data
export TRINO_SECRETS_DIR=${TRINO_SECRETS_DIR:-$TRINO_DIR/secrets}
export TRINO_PORT=${TRINO_PORT:-8090}
export TRINO_BIND_ADDRESS=${TRINO_BIND_ADDRESS:-127.0.0.1}
TRINO_TLS_HOSTNAMES=${TRINO_TLS_HOSTNAMES:-}
TRINO_CLIENT_DIR=${TRINO_CLIENT_DIR:-}
TRINO_FILES_OWNER=${TRINO_FILES_OWNER:-}
if [ -z "${TRINO_JAVA_HOME:-}" ]; then
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then TRINO_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  elif [ -n "${JAVA_HOME:-}" ]; then TRINO_JAVA_HOME=$JAVA_HOME
  elif command -v java >/dev/null; then TRINO_JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  else TRINO_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
fi
export TRINO_JAVA_HOME
export TRINO_XMX=${TRINO_XMX:-2G}
export TRINO_QUERY_MAX_MEMORY=${TRINO_QUERY_MAX_MEMORY:-1GB}
export TRINO_CACHE_DIR=${TRINO_CACHE_DIR:-$TRINO_DIR/cache}
export TRINO_CACHE_SIZE=${TRINO_CACHE_SIZE:-4GB}
export TRINO_LAKE_SCHEMA=${TRINO_LAKE_SCHEMA:-lakehouse}
export LAKEHOUSE_S3_ENDPOINT=${LAKEHOUSE_S3_ENDPOINT:-http://127.0.0.1:9000}
export LAKEHOUSE_S3_BUCKET=${LAKEHOUSE_S3_BUCKET:-lakehouse}
export LAKEHOUSE_S3_REGION=${LAKEHOUSE_S3_REGION:-us-east-1}
export LAKEHOUSE_S3_ACCESS_KEY=${LAKEHOUSE_S3_ACCESS_KEY:-lakehouse}
export LAKEHOUSE_S3_SECRET_KEY=${LAKEHOUSE_S3_SECRET_KEY:-lakehouse-secret}
PID_FILE=$TRINO_DIR/trino.pid
# the templates' placeholders; anything else in ${...} (resource-groups.json's ${USER}) is left as it is
VARS=(TRINO_PORT TRINO_DATA_DIR TRINO_SERVER_DIR TRINO_ETC_DIR TRINO_SECRETS_DIR TRINO_BIND_ADDRESS TRINO_XMX
  TRINO_QUERY_MAX_MEMORY TRINO_CACHE_DIR TRINO_CACHE_SIZE TRINO_LAKE_SCHEMA TRINO_KEYSTORE_PASSWORD TRINO_SHARED_SECRET
  LAKEHOUSE_S3_ENDPOINT LAKEHOUSE_S3_BUCKET LAKEHOUSE_S3_REGION LAKEHOUSE_S3_ACCESS_KEY LAKEHOUSE_S3_SECRET_KEY)
TEMPLATES=(config.properties jvm.config log.properties catalog/delta.properties password-authenticator.properties
  group-provider.properties access-control.properties rules.json resource-groups.properties resource-groups.json)
# the certificate is renewed when older than this (it is valid for 825 days)
CERT_MAX_AGE_DAYS=730

install() {
  if [ -d "$TRINO_SERVER_DIR/lib" ]; then
    [ -d "$TRINO_SERVER_DIR/plugin/password-authenticators" ] \
      && [ -d "$TRINO_SERVER_DIR/plugin/resource-group-managers" ] && return 0
    echo "re-installing Trino in $TRINO_SERVER_DIR: an earlier install lacks the plugins security needs"
    rm -rf "$TRINO_SERVER_DIR"
  fi
  local tarball=$HOME/.m2/repository/io/trino/trino-server/$TRINO_VERSION/trino-server-$TRINO_VERSION.tar.gz
  if [ ! -f "$tarball" ]; then
    # dependency plugin 3.x: the default 2.8 mis-parses the tar.gz coordinates
    "$ROOT/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact=io.trino:trino-server:$TRINO_VERSION:tar.gz -Dtransitive=false
  fi
  mkdir -p "$TRINO_SERVER_DIR.tmp"
  # the tarball hard-links jars between plugins: unpack everything, then drop the plugins we do not use
  tar xzf "$tarball" -C "$TRINO_SERVER_DIR.tmp" --strip-components=1
  find "$TRINO_SERVER_DIR.tmp/plugin" -mindepth 1 -maxdepth 1 ! -name delta-lake ! -name tpch \
    ! -name password-authenticators ! -name resource-group-managers -exec rm -rf {} +
  mv "$TRINO_SERVER_DIR.tmp" "$TRINO_SERVER_DIR"
}

random_secret() { # <length>: letters and digits from /dev/urandom
  local out=''
  while [ ${#out} -lt "$1" ]; do out+=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'); done
  printf '%s' "${out:0:$1}"
}

# the certificate's names: 127.0.0.1 and localhost, plus TRINO_TLS_HOSTNAMES
subject_alt_names() {
  local san="ip:127.0.0.1,dns:localhost" name
  IFS=',' read -ra names <<< "$TRINO_TLS_HOSTNAMES"
  for name in "${names[@]}"; do
    name=${name//[[:space:]]/}
    [ -z "$name" ] && continue
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+=",ip:$name"; else san+=",dns:$name"; fi
  done
  printf '%s' "$san"
}

# A principal's password: the variable if set (never written to disk), else the generated one in the secrets dir
principal_password() { # <variable> <file>
  local value=${!1:-}
  if [ -z "$value" ]; then
    [ -s "$TRINO_SECRETS_DIR/$2" ] || random_secret 32 > "$TRINO_SECRETS_DIR/$2"
    value=$(<"$TRINO_SECRETS_DIR/$2")
  fi
  printf '%s' "$value"
}

# groups.txt for the file group provider: one line per role (admin, researcher, viewer, service) listing the users of
# LAKEHOUSE_USERS (name:password:role;...) with that role; other roles (metrics) get nothing in Trino
write_groups() {
  declare -A members=()
  local entry name role
  IFS=';' read -ra entries <<< "${LAKEHOUSE_USERS:-}"
  for entry in "${entries[@]}"; do
    [[ -z "${entry//[[:space:]]/}" || $entry != *:*:* ]] && continue
    name=${entry%%:*}; name=${name//[[:space:]]/}
    role=${entry##*:}; role=${role//[[:space:]]/}; role=${role,,}
    [[ -z $name || $name == *,* ]] && continue
    case $role in
      admin|researcher|viewer|service) members[$role]+="${members[$role]:+,}$name" ;;
    esac
  done
  : > "$TRINO_ETC_DIR/groups.txt"
  for role in admin researcher viewer service; do
    if [ -n "${members[$role]:-}" ]; then printf '%s:%s\n' "$role" "${members[$role]}" >> "$TRINO_ETC_DIR/groups.txt"; fi
  done
}

# the TLS key pair (renewed when older than CERT_MAX_AGE_DAYS or when the names change), its certificate for clients
# and the internal shared secret: generated when missing
tls_and_shared_secret() {
  mkdir -p "$TRINO_SECRETS_DIR"
  chmod 700 "$TRINO_SECRETS_DIR"
  local s=$TRINO_SECRETS_DIR
  [ -s "$s/shared-secret" ] || random_secret 64 > "$s/shared-secret"
  [ -s "$s/keystore.password" ] || random_secret 32 > "$s/keystore.password"
  local san
  san=$(subject_alt_names)
  if [ ! -s "$s/keystore.p12" ] || [ "$(cat "$s/keystore.san" 2>/dev/null)" != "$san" ] \
      || [ -n "$(find "$s/keystore.p12" -mtime +$CERT_MAX_AGE_DAYS 2>/dev/null)" ]; then
    rm -f "$s/keystore.p12" "$s/trino.pem"
    "$TRINO_JAVA_HOME/bin/keytool" -genkeypair -alias trino -keyalg RSA -keysize 3072 -validity 825 \
      -dname "CN=lakehouse-trino" -ext "SAN=$san" -storetype PKCS12 -keystore "$s/keystore.p12" \
      -storepass:file "$s/keystore.password" -keypass:file "$s/keystore.password" >/dev/null 2>&1
    "$TRINO_JAVA_HOME/bin/keytool" -exportcert -rfc -alias trino -keystore "$s/keystore.p12" \
      -storepass:file "$s/keystore.password" -file "$s/trino.pem" >/dev/null 2>&1
    printf '%s' "$san" > "$s/keystore.san"
    echo "generated Trino's TLS key pair ($san); clients verify it with $s/trino.pem"
  fi
  chmod 644 "$s/trino.pem"
  if [ -n "$TRINO_CLIENT_DIR" ]; then
    mkdir -p "$TRINO_CLIENT_DIR"
    cp "$s/trino.pem" "$TRINO_CLIENT_DIR/trino.pem"
    chmod 755 "$TRINO_CLIENT_DIR"; chmod 644 "$TRINO_CLIENT_DIR/trino.pem"
  fi
}

# the principals' password file (bcrypt), rewritten at every configure
password_file() {
  local s=$TRINO_SECRETS_DIR gateway admin
  gateway=$(principal_password LAKEHOUSE_TRINO_PASSWORD gateway.password)
  admin=$(principal_password TRINO_ADMIN_PASSWORD admin.password)
  if [[ $gateway == *$'\n'* || $admin == *$'\n'* || ${#gateway} -lt 12 || ${#admin} -lt 12 ]]; then
    echo "LAKEHOUSE_TRINO_PASSWORD and TRINO_ADMIN_PASSWORD need at least 12 characters on one line" >&2; return 1
  fi
  # the .env.example placeholders are for a Trino only this machine reaches
  if [[ ! $TRINO_BIND_ADDRESS =~ ^(127\.|localhost$|::1$) ]] && [[ $gateway == change-me* || $admin == change-me* ]]; then
    echo "Trino listens on $TRINO_BIND_ADDRESS: set LAKEHOUSE_TRINO_PASSWORD and TRINO_ADMIN_PASSWORD to real" \
      "passwords (not the change-me placeholders of .env.example)" >&2
    return 1
  fi
  # bcrypt with the library Trino verifies with, on Trino's JDK (source-file mode); the passwords go through stdin
  printf 'gateway\t%s\nadmin\t%s\n' "$gateway" "$admin" \
    | "$TRINO_JAVA_HOME/bin/java" -cp "$TRINO_SERVER_DIR/plugin/password-authenticators/*" "$HERE/BcryptHash.java" \
    > "$s/password.db.tmp"
  mv "$s/password.db.tmp" "$s/password.db"
}

fill() { # <template> <output>: the VARS placeholders replaced by their values
  local text name
  text=$(<"$1")
  shopt -u patsub_replacement 2>/dev/null || true
  for name in "${VARS[@]}"; do text=${text//"\${$name}"/"${!name}"}; done
  printf '%s\n' "$text" > "$2"
}

configure() {
  umask 077
  install
  mkdir -p "$TRINO_ETC_DIR/catalog" "$TRINO_DATA_DIR" "$TRINO_CACHE_DIR"
  tls_and_shared_secret
  password_file
  TRINO_KEYSTORE_PASSWORD=$(<"$TRINO_SECRETS_DIR/keystore.password")
  TRINO_SHARED_SECRET=$(<"$TRINO_SECRETS_DIR/shared-secret")
  local f
  for f in "${TEMPLATES[@]}"; do fill "$HERE/etc/$f" "$TRINO_ETC_DIR/$f"; done
  write_groups
  if [ -n "$TRINO_FILES_OWNER" ]; then
    chown -R "$TRINO_FILES_OWNER" "$TRINO_DIR" "$TRINO_SECRETS_DIR"
  fi
}

run_java() {
  [ -f "$TRINO_ETC_DIR/config.properties" ] || { echo "not configured: run '$0 configure' first" >&2; exit 1; }
  local opts=()
  while IFS= read -r line; do
    [[ -z "${line// }" || "$line" == \#* ]] || opts+=("$line")
  done < "$TRINO_ETC_DIR/jvm.config"
  # etc/group-provider.properties and etc/resource-groups.properties are read relative to the working directory
  cd "$TRINO_DIR"
  exec "$TRINO_JAVA_HOME/bin/java" "${opts[@]}" -Dconfig="$TRINO_ETC_DIR/config.properties" \
    -Dlog.levels-file="$TRINO_ETC_DIR/log.properties" -cp "$TRINO_SERVER_DIR/lib/*" io.trino.server.TrinoServer
}

info() { # /v1/info needs no login; the certificate is verified
  curl -fsS --max-time 5 --cacert "$TRINO_SECRETS_DIR/trino.pem" "https://127.0.0.1:$TRINO_PORT/v1/info"
}

wait_ready() {
  for _ in $(seq 1 180); do
    if info 2>/dev/null | grep -q '"starting":false'; then
      echo "Trino ready on https://127.0.0.1:$TRINO_PORT"; return 0
    fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "Trino exited; see $TRINO_DIR/server.log" >&2; return 1
    fi
    sleep 1
  done
  echo "Trino did not become ready in 180 s; see $TRINO_DIR/server.log" >&2; return 1
}

# what needs root in docker compose (trino-init): the key pair, shared secret and client certificate, the files
# handed to TRINO_FILES_OWNER; nothing else (no passwords, no S3 keys)
prepare() {
  umask 077
  mkdir -p "$TRINO_DIR"
  tls_and_shared_secret
  if [ -n "$TRINO_FILES_OWNER" ]; then
    chown -R "$TRINO_FILES_OWNER" "$TRINO_DIR" "$TRINO_SECRETS_DIR"
  fi
}

case "${1:-}" in
  install) install ;;
  prepare) prepare ;;
  configure) configure ;;
  start)
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then echo "already running"; exit 0; fi
    configure
    (run_java > "$TRINO_DIR/server.log" 2>&1) &
    echo $! > "$PID_FILE"
    wait_ready ;;
  run)
    configure
    run_java ;;
  run-configured)
    run_java ;;
  stop)
    if [ -f "$PID_FILE" ]; then
      pid=$(cat "$PID_FILE")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
    fi ;;
  status)
    info && echo ;;
  *) echo "usage: $0 install|prepare|configure|start|stop|status|run|run-configured" >&2; exit 2 ;;
esac

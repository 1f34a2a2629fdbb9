#!/usr/bin/env bash
# Saves the OpenAPI description of every running service into docs/api/<service>.openapi.json.
# Run it against a local stack (`./lakehouse up`) after an API change and commit the result.
# Ports follow docs/contracts.md and the same environment variables as ./lakehouse.
set -euo pipefail
cd "$(dirname "$0")"
declare -A PORTS=(
  [collector-service]=${COLLECTOR_PORT:-8081}
  [ingest-service]=${INGEST_PORT:-8082}
  [etl-service]=${ETL_PORT:-8083}
  [query-gateway]=${QUERY_PORT:-8084}
  [versioning-service]=${VERSIONING_PORT:-8085}
)
for service in "${!PORTS[@]}"; do
  url="http://127.0.0.1:${PORTS[$service]}/v3/api-docs"
  if curl -fsS "$url" | python3 -m json.tool --indent 2 > "$service.openapi.json.tmp"; then
    # the server URL is whatever host answered: leave it out of the committed file
    python3 - "$service.openapi.json.tmp" <<'PY'
import json, sys
path = sys.argv[1]
doc = json.load(open(path))
doc.pop("servers", None)
json.dump(doc, open(path, "w"), indent=2, sort_keys=True)
PY
    mv "$service.openapi.json.tmp" "$service.openapi.json"
    echo "saved $service.openapi.json from $url"
  else
    rm -f "$service.openapi.json.tmp"
    echo "skipped $service: nothing answered at $url" >&2
  fi
done

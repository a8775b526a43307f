#!/usr/bin/env bash
# Secret-scanning benchmark (docs/benchmarks.md, "Secret scanning"): one AdminApi process (Release, SQLite in a fresh
# data directory; PostgreSQL with DATABASE=postgres), a signed GitHub report of MATCHES matches (a quarter each: active
# keys, keys revoked before, well-formed keys it never issued, malformed tokens), timed against revoking the same number
# of keys by DELETE /admin/keys in the same run. Prints a markdown table. Only 127.0.0.1 traffic; bounded (20 minutes).
# Knobs (environment): MATCHES=1000 ROUNDS=3 DATABASE=sqlite|postgres (postgres needs P2P_POSTGRES, role with CREATEDB)
set -euo pipefail
cd "$(dirname "$0")/.."

MATCHES=${MATCHES:-1000}
ROUNDS=${ROUNDS:-3}
DATABASE=${DATABASE:-sqlite}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[secret-scanning] %s\n' "$*" >&2; }

log "building the AdminApi and the benchmark (Release)"
dotnet build samples/AdminApi -c Release -v q -nologo >/dev/null
dotnet build benchmarks/P2P.ApiKeys.SecretScanning -c Release -v q -nologo >/dev/null

db_args=()
database=
cleanup() {
  if [ -n "$database" ]; then psql "$P2P_PSQL" -qc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null || true; fi
}
trap cleanup EXIT
if [ "$DATABASE" = postgres ]; then
  : "${P2P_POSTGRES:?set P2P_POSTGRES, e.g. Host=127.0.0.1;Username=p2p;Password=...;Database=postgres}"
  # libpq URL of the same server, for psql (Host, Port, Username, Password, Database from the Npgsql string)
  P2P_PSQL=$(python3 - "$P2P_POSTGRES" <<'PY'
import sys, urllib.parse
kv = dict(p.split('=', 1) for p in sys.argv[1].split(';') if '=' in p)
kv = {k.strip().lower(): v for k, v in kv.items()}
print('postgresql://%s:%s@%s:%s/%s' % (urllib.parse.quote(kv.get('username', '')), urllib.parse.quote(kv.get('password', '')),
      kv.get('host', '127.0.0.1'), kv.get('port', '5432'), kv.get('database', 'postgres')))
PY
)
  database="p2p_scanning_$(date +%s)_$$"
  psql "$P2P_PSQL" -qc "CREATE DATABASE \"$database\"" >/dev/null
  db_args=(--postgres "$(python3 -c 'import sys,re; print(re.sub(r"(?i)Database=[^;]*", "Database="+sys.argv[2], sys.argv[1]))' "$P2P_POSTGRES" "$database")")
  log "PostgreSQL database $database"
fi

timeout 1200 dotnet benchmarks/P2P.ApiKeys.SecretScanning/bin/Release/net10.0/P2P.ApiKeys.SecretScanning.dll \
  --dll samples/AdminApi/bin/Release/net10.0/AdminApi.dll --matches "$MATCHES" --rounds "$ROUNDS" "${db_args[@]}"

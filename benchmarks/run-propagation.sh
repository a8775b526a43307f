#!/usr/bin/env bash
# Propagation benchmark (docs/benchmarks.md, "Revocation across nodes"): three AdminApi processes on one fresh
# PostgreSQL database with CacheTtl 10 minutes; REVOCATIONS times: create a key on A, warm it on B and C, revoke
# it on A, and time until B and C refuse it. Once per notifier (PostgreSQL LISTEN/NOTIFY, Redis pub/sub, polling).
# Prints a markdown table. Only 127.0.0.1 traffic; the run is bounded (20 minutes at most).
#
# Needs: P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB), redis-server on PATH (a private one
# is started on a free port and stopped afterwards).
# Knobs (environment): REVOCATIONS=100 NOTIFIERS=postgresql,redis,polling POLL_INTERVAL=00:00:01
set -euo pipefail
cd "$(dirname "$0")/.."

REVOCATIONS=${REVOCATIONS:-100}
NOTIFIERS=${NOTIFIERS:-postgresql,redis,polling}
POLL_INTERVAL=${POLL_INTERVAL:-00:00:01}
: "${P2P_POSTGRES:?set P2P_POSTGRES, e.g. Host=127.0.0.1;Username=p2p;Password=...;Database=postgres}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[propagation] %s\n' "$*" >&2; }

log "building the AdminApi and the benchmark (Release)"
dotnet build samples/AdminApi -c Release -v q -nologo >/dev/null
dotnet build benchmarks/P2P.ApiKeys.Propagation -c Release -v q -nologo >/dev/null

redis_args=()
redis_pid=
redis_dir=
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  if [ -n "$redis_dir" ]; then rm -rf "$redis_dir"; fi
}
trap cleanup EXIT
if [[ ",$NOTIFIERS," == *",redis,"* ]]; then
  redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  redis_dir=$(mktemp -d)
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$redis_dir" --save '' --appendonly no --daemonize no --loglevel warning &
  redis_pid=$!
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis_args=(--redis "127.0.0.1:$redis_port")
  log "redis-server on 127.0.0.1:$redis_port"
fi

timeout 1500 dotnet benchmarks/P2P.ApiKeys.Propagation/bin/Release/net10.0/P2P.ApiKeys.Propagation.dll \
  --dll samples/AdminApi/bin/Release/net10.0/AdminApi.dll --postgres "$P2P_POSTGRES" "${redis_args[@]}" \
  --notifiers "$NOTIFIERS" --revocations "$REVOCATIONS" --poll-interval "$POLL_INTERVAL"
